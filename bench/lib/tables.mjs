// Builds a scenario's section: a table of formatted cells plus the raw numbers for the JSON.
import { formatMs, formatRate, formatRatio } from './stats.mjs';

/**
 * Rows of durations (lower is better) with the ratio against the `reference` row's median:
 * `ratio` = this p50 ÷ reference p50, i.e. how many times faster the reference (the kit) is.
 * rows: [{ id, label, summary, reference? }]
 */
export function durationSection({ id, title, rows, goals, notes = [], extra = {} }) {
  const reference = rows.find((row) => row.reference) ?? rows[0];
  return {
    id,
    title,
    header: ['approach', 'p50', 'p95', 'n', `÷ ${reference.short ?? 'kit'}`],
    rows: rows.map((row) => [
      row.label,
      formatMs(row.summary.p50),
      formatMs(row.summary.p95),
      String(row.summary.n),
      row === reference ? '1× (reference)' : formatRatio(row.summary.p50 / reference.summary.p50),
    ]),
    goals,
    notes: [`ratio = the row's p50 ÷ the p50 of "${reference.label}" (how many times faster that is).`, ...notes],
    // each row's p50, for goals between sections
    metrics: Object.fromEntries(rows.map((row) => [row.id, row.summary.p50])),
    data: {
      reference: reference.id,
      rows: rows.map(({ id: rowId, label, summary }) => ({ id: rowId, label, summary })),
      ...extra,
    },
  };
}

/**
 * Rows of inserts measured as durations of `rows` rows each; shown as rates (higher is better).
 * p95 is the rate of the slow tail (rows ÷ p95 duration). ratio = reference rate ÷ this rate.
 * rows: [{ id, label, rows, summary, reference? }]
 */
export function rateSection({ id, title, rows, goals, notes = [] }) {
  const rate = (row, ms) => row.rows / (ms / 1000);
  const reference = rows.find((row) => row.reference) ?? rows[0];
  const referenceRate = rate(reference, reference.summary.p50);
  return {
    id,
    title,
    header: ['approach', 'rows per round', 'p50', 'p95 (slow tail)', 'n', '÷ kit'],
    rows: rows.map((row) => [
      row.label,
      row.rows.toLocaleString('en-US'),
      formatRate(rate(row, row.summary.p50)),
      formatRate(rate(row, row.summary.p95)),
      String(row.summary.n),
      row === reference ? '1× (reference)' : formatRatio(referenceRate / rate(row, row.summary.p50)),
    ]),
    goals,
    notes: [`ratio = the kit's median rate ÷ the row's median rate.`, ...notes],
    // each row's median rate in rows/s
    metrics: Object.fromEntries(rows.map((row) => [`${row.id}-rate`, rate(row, row.summary.p50)])),
    data: {
      reference: reference.id,
      rows: rows.map((row) => ({
        id: row.id,
        label: row.label,
        rowsPerRound: row.rows,
        rowsPerSecondP50: rate(row, row.summary.p50),
        rowsPerSecondP95: rate(row, row.summary.p95),
        summary: row.summary,
      })),
    },
  };
}
