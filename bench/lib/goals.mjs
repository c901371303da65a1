// Goals as ratios between rows of the same run. Absolute times on shared machines move 2× from
// run to run; a ratio of two numbers measured side by side moves far less, so every goal is one:
//   atLeast  "A is ≥ 3× faster than B": the ratio slow ÷ fast must reach the target
//   atMost   "per-file setup ≤ 5× the clone claim": the ratio must stay at or under the target
// A goal between rows of two scenarios (e.g. the scale run's per-file setup against the clone
// scenario's claim) is written as pending, with the metrics it needs, and resolved once every
// scenario of the run has reported; a run without those scenarios reports it as not measured.
import { formatMs, formatRatio } from './stats.mjs';

const SYMBOL = { atLeast: '≥', atMost: '≤' };

function check(direction, target) {
  if (!(direction in SYMBOL)) throw new Error(`goal direction must be atLeast or atMost, got ${direction}`);
  if (!(Number.isFinite(target) && target > 0)) throw new Error(`goal target must be a positive number, got ${target}`);
}

/** Whether `ratio` meets the goal; false for a ratio that could not be measured (NaN, ∞). */
export function meets(ratio, direction, target) {
  check(direction, target);
  if (!Number.isFinite(ratio)) return false;
  return direction === 'atLeast' ? ratio >= target : ratio <= target;
}

/**
 * A goal on `ratio` (e.g. baseline p50 ÷ kit p50). `detail` goes after the ratio in the report,
 * e.g. the two medians it was computed from.
 */
export function ratioGoal({ text, short, ratio, target, direction = 'atLeast', detail }) {
  const met = meets(ratio, direction, target);
  const shown = formatRatio(ratio);
  const goal = { text, actual: detail ? `${shown} (${detail})` : shown, met, ratio, target, direction };
  return short ? { ...goal, short } : goal;
}

/** "slow ÷ fast ≥ target": how many times faster the `fast` median is; detail shows both medians. */
export function fasterGoal({ text, short, slowMs, fastMs, target }) {
  return ratioGoal({
    text,
    short,
    ratio: slowMs / fastMs,
    target,
    direction: 'atLeast',
    detail: `${formatMs(fastMs)} vs ${formatMs(slowMs)}`,
  });
}

/** "value ÷ base ≤ target": a cost kept within a multiple of a reference cost. */
export function withinGoal({ text, short, valueMs, baseMs, target }) {
  return ratioGoal({
    text,
    short,
    ratio: valueMs / baseMs,
    target,
    direction: 'atMost',
    detail: `${formatMs(valueMs)} vs ${formatMs(baseMs)}`,
  });
}

/**
 * A goal between metrics of (possibly) other sections, resolved by {@link resolveGoals}.
 * `value` and `base` are lists of `[sectionId, metricName]`: the first one the run measured is
 * used. The ratio is value ÷ base; `direction` and `target` as in {@link ratioGoal}.
 */
export function pendingGoal({ text, short, value, base, direction, target }) {
  check(direction, target);
  return { text, ...(short ? { short } : {}), pending: { value, base, direction, target } };
}

/** `[sectionId, metric]` → its number, for every section's `metrics` ({ name: number }). */
export function metricsOf(sections) {
  const metrics = new Map();
  for (const section of sections) {
    for (const [name, value] of Object.entries(section.metrics ?? {})) metrics.set(`${section.id}.${name}`, value);
  }
  return metrics;
}

function firstMeasured(metrics, candidates) {
  for (const [section, name] of candidates) {
    const value = metrics.get(`${section}.${name}`);
    if (Number.isFinite(value)) return { value, from: `${section}: ${name}` };
  }
  return undefined;
}

/**
 * Sections with their pending goals resolved against the metrics of all of them. A goal whose
 * metrics this run did not measure gets `met: null` and "not measured" (neither met nor missed).
 */
export function resolveGoals(sections) {
  const metrics = metricsOf(sections);
  return sections.map((section) => ({
    ...section,
    goals: section.goals.map((g) => {
      if (!g.pending) return g;
      const { value, base, direction, target } = g.pending;
      const short = g.short ? { short: g.short } : {};
      const v = firstMeasured(metrics, value);
      const b = firstMeasured(metrics, base);
      if (!v || !b) {
        const missing = [v ? undefined : value, b ? undefined : base]
          .filter(Boolean)
          .map((list) => list.map(([s, n]) => `${s}: ${n}`).join(' or '));
        const actual = `not measured in this run (needs ${missing.join('; ')})`;
        return { text: g.text, ...short, actual, met: null, ratio: Number.NaN, target, direction };
      }
      const detail = `${formatMs(v.value)} (${v.from}) vs ${formatMs(b.value)} (${b.from})`;
      return ratioGoal({ text: g.text, ...short, ratio: v.value / b.value, target, direction, detail });
    }),
  }));
}

/** The goal's target as shown in a chart or table: `≥ 3×`, `≤ 5×`. */
export function targetLabel({ direction, target }) {
  return `${SYMBOL[direction] ?? '?'} ${target}×`;
}

/** Counts of met, missed and not measured goals. */
export function tally(goals) {
  const met = goals.filter((g) => g.met === true).length;
  const missed = goals.filter((g) => g.met === false).length;
  return { met, missed, unmeasured: goals.length - met - missed, measured: met + missed };
}
