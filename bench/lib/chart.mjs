// The benchmark's chart, as SVG markup written here (no library, no browser, no service): the
// headline's wall times as bars, then every goal's measured ratio against its target on a
// logarithmic axis (green met, red missed, grey not measured).
import { formatRatio } from './stats.mjs';

const WIDTH = 980;
const LABEL_WIDTH = 400;
const PLOT_LEFT = LABEL_WIDTH + 12;
const PLOT_RIGHT = WIDTH - 210;
/** Where the numbers go: a column of their own right of the plot, so they never cover a bar. */
const VALUE_X = PLOT_RIGHT + 12;
const ROW = 26;
const BAR = 16;
const COLOURS = { met: '#2e7d32', missed: '#c62828', unmeasured: '#9e9e9e', neutral: '#1565c0', target: '#111111' };
const TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

/** Text made safe for SVG content and attribute values. */
export function escapeXml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The ticks of a log axis that covers every value (positive, finite) with a margin. */
export function logTicks(values) {
  const usable = values.filter((v) => Number.isFinite(v) && v > 0);
  if (usable.length === 0) return [1, 10];
  const lo = Math.min(...usable) / 1.15;
  const hi = Math.max(...usable) * 1.15;
  const first = TICKS.findLast((t) => t <= lo) ?? TICKS[0];
  const last = TICKS.find((t) => t >= hi) ?? TICKS.at(-1);
  return TICKS.filter((t) => t >= first && t <= last);
}

/** Maps a value onto [from, to] pixels, logarithmically between the first and last tick. */
export function logScale(ticks, from, to) {
  const lo = Math.log(ticks[0]);
  const hi = Math.log(ticks.at(-1));
  return (value) => {
    const clamped = Math.min(Math.max(value, ticks[0]), ticks.at(-1));
    return from + ((Math.log(clamped) - lo) / (hi - lo)) * (to - from);
  };
}

const text = (x, y, content, attrs = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
const rect = (x, y, w, h, fill) =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(w, 0).toFixed(1)}" height="${h}" fill="${fill}"/>`;
const line = (x1, y1, x2, y2, stroke, width = 1) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-width="${width}"/>`;

function statusOf(goal) {
  if (goal.met === true) return 'met';
  if (goal.met === false) return 'missed';
  return 'unmeasured';
}

/** Horizontal bars of `rows` ({ label, value, note? }) on a linear axis from 0; returns { parts, height }. */
function barsPanel({ title, unit, rows }, top) {
  const parts = [text(16, top + 18, title, 'class="title"')];
  const max = Math.max(...rows.map((r) => r.value).filter(Number.isFinite), 0) || 1;
  const scale = (value) => ((PLOT_RIGHT - PLOT_LEFT) * value) / max;
  rows.forEach((row, i) => {
    const y = top + 34 + i * ROW;
    parts.push(text(LABEL_WIDTH, y + BAR - 3, clip(row.label, 60), 'text-anchor="end"'));
    if (!Number.isFinite(row.value)) {
      parts.push(text(PLOT_LEFT, y + BAR - 3, 'not measured', 'class="muted"'));
      return;
    }
    parts.push(rect(PLOT_LEFT, y, scale(row.value), BAR, COLOURS.neutral));
    const shown = `${row.value.toFixed(row.value >= 10 ? 1 : 2)} ${unit}${row.note ? ` ${row.note}` : ''}`;
    parts.push(text(VALUE_X, y + BAR - 3, shown));
  });
  return { parts, height: 34 + rows.length * ROW + 16 };
}

/** Every goal's measured ratio (bar) against its target (black tick), log axis; returns { parts, height }. */
function goalsPanel({ title, goals }, top) {
  const parts = [
    text(16, top + 18, title, 'class="title"'),
    text(
      16,
      top + 34,
      'A ≥ goal is met when its bar reaches the mark; a ≤ goal when its bar stays short of it.',
      'class="muted"',
    ),
  ];
  const ticks = logTicks(goals.flatMap((g) => [g.ratio, g.target]));
  const x = logScale(ticks, PLOT_LEFT, PLOT_RIGHT);
  const plotTop = top + 46;
  const plotBottom = plotTop + goals.length * ROW + 4;
  // crowded ticks keep their grid line, and only powers of ten keep a label
  const crowded = ticks.some((tick, i) => i > 0 && x(tick) - x(ticks[i - 1]) < 36);
  for (const tick of ticks) {
    parts.push(line(x(tick), plotTop, x(tick), plotBottom, tick === 1 ? '#757575' : '#e0e0e0'));
    if (crowded && !Number.isInteger(Math.log10(tick))) continue;
    parts.push(text(x(tick), plotBottom + 14, `${tick}×`, 'text-anchor="middle" class="muted"'));
  }
  goals.forEach((goal, i) => {
    const y = plotTop + 4 + i * ROW;
    const status = statusOf(goal);
    parts.push(text(LABEL_WIDTH, y + BAR - 3, clip(goal.label, 60), 'text-anchor="end"'));
    if (status === 'unmeasured' || !Number.isFinite(goal.ratio)) {
      parts.push(text(VALUE_X, y + BAR - 3, `goal ${goal.targetLabel}: not measured`, 'class="muted"'));
      return;
    }
    const end = x(goal.ratio);
    parts.push(rect(PLOT_LEFT, y, end - PLOT_LEFT, BAR, COLOURS[status]));
    const tx = x(goal.target);
    parts.push(line(tx, y - 3, tx, y + BAR + 3, COLOURS.target, 3));
    const verdict = status === 'met' ? 'met' : 'MISSED';
    const label = `${formatRatio(goal.ratio)}, goal ${goal.targetLabel}: ${verdict}`;
    parts.push(text(VALUE_X, y + BAR - 3, label, `fill="${COLOURS[status]}"`));
  });
  return { parts, height: plotBottom - top + 26 };
}

/**
 * The chart as an SVG document. `subtitle`: a line or lines under the title; `bars`: { title,
 * unit, rows: [{ label, value, note? }] } or undefined; `goals`: { title, goals: [{ label, ratio,
 * target, targetLabel, met }] }.
 */
export function benchmarkChart({ title, subtitle = [], bars, goals }) {
  const subtitles = [subtitle].flat();
  const parts = subtitles.map((line, i) => text(16, 40 + i * 16, clip(line, 140), 'class="muted"'));
  let top = 36 + subtitles.length * 16;
  for (const [panel, draw] of [
    [bars, barsPanel],
    [goals, goalsPanel],
  ]) {
    if (!panel || (panel.rows ?? panel.goals).length === 0) continue;
    const drawn = draw(panel, top);
    parts.push(...drawn.parts);
    top += drawn.height;
  }
  const height = top + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<style>.title{font-size:15px;font-weight:bold}.muted{fill:#757575}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(16, 22, title, 'font-size="17" font-weight="bold"'),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
