// Order statistics and the formatting every table shares. Medians (p50) and the slow tail (p95)
// are what the report shows; means hide the outliers a 2-core machine produces.

/** The q-quantile (0..1) of the samples, by linear interpolation between the closest ranks. */
export function quantile(samples, q) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const weight = position - lower;
  return sorted[lower] * (1 - weight) + sorted[upper] * weight;
}

/** p50, p95, min and max of durations in milliseconds. */
export function summarize(samples) {
  return {
    n: samples.length,
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples: samples.map((value) => Number(value.toFixed(3))),
  };
}

/** How many times faster `fast` is than `slow`, both durations (their medians). */
export function speedup(slowMs, fastMs) {
  return slowMs / fastMs;
}

/** A duration in ms, with precision that suits its size. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A rate in rows per second, grouped in thousands. */
export function formatRate(rowsPerSecond) {
  if (!Number.isFinite(rowsPerSecond)) return '—';
  return `${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s`;
}

/** A ratio as `12×` (one decimal below 10). */
export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '—';
  return ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(1)}×`;
}

/** A goal line: what was asked, what was measured, and whether it was met. */
export function goal(text, actual, met) {
  return { text, actual, met: Boolean(met) };
}
