// Output of a run: the console table, results/*.json, and the README's Performance section
// (only the text between its markers is replaced).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchmarkChart } from './lib/chart.mjs';
import { tally, targetLabel } from './lib/goals.mjs';

const REPOSITORY = join(import.meta.dirname, '..');
const README = join(REPOSITORY, 'README.md');
const START_MARKER = '<!-- performance:start -->';
const END_MARKER = '<!-- performance:end -->';
/** The chart of a full run, as the README links it (relative to the repository root). */
export const CHART = 'bench/results/latest.svg';

/** A markdown table, columns padded so that it reads in a terminal too. */
export function markdownTable(header, rows) {
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length), 3));
  const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** met, MISSED, or not measured (a goal between scenarios of which this run left one out). */
export function mark(met) {
  if (met === true) return 'met';
  if (met === false) return '**MISSED**';
  return 'not measured';
}

/** "Goals met: 7 of 9" (and how many this run could not measure). */
export function goalCount(goals) {
  const { met, measured, unmeasured } = tally(goals);
  return `Goals met: ${met} of ${measured}${unmeasured > 0 ? ` (${unmeasured} not measured in this run)` : ''}.`;
}

function goalLines(section) {
  return section.goals.map((g) => `- Goal: ${g.text} — ${g.actual}: ${mark(g.met)}`);
}

function allGoals(sections) {
  return sections.flatMap((section) => section.goals.map((g) => ({ ...g, section: section.title })));
}

export function describeMachine({ host, server, image }) {
  const license = server.license ? ` (${server.license} edition)` : '';
  return (
    `${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}; ` +
    `image \`${image}\`: PostgreSQL ${server.postgres}, TimescaleDB ${server.timescaledb}${license}, pgvector ${server.pgvector}`
  );
}

/** The whole report for the terminal. */
export function printReport(run, sections) {
  const out = [''];
  out.push(
    `timescale-testkit benchmark — ${run.smoke ? 'SMOKE (1 repetition, small sizes)' : 'full run'}, ${run.date}`,
  );
  out.push(describeMachine(run.machine));
  out.push(`1-minute load average before the run: ${run.loadAverageBefore}.`);
  for (const section of sections) {
    out.push('', `## ${section.title}`, '', markdownTable(section.header, section.rows), ...goalLines(section));
    for (const note of section.notes) out.push(`  ${note}`);
  }
  const goals = allGoals(sections);
  const missed = goals.filter((g) => g.met === false);
  out.push('', goalCount(goals));
  if (run.smoke) out.push('(smoke: one sample per approach at the smallest sizes; the goals are indicative only)');
  for (const g of missed) out.push(`  MISSED: ${g.section}: ${g.text} (${g.actual})`);
  out.push(`Total time ${(run.totalMs / 1000).toFixed(0)} s.`);
  console.log(out.join('\n'));
}

/** results/<name>.json: the machine, the sizes, every summary with its samples. */
export async function writeJson(path, run, sections) {
  const goals = allGoals(sections);
  const { met, measured } = tally(goals);
  const document = {
    ...run,
    goals: { met, total: measured, list: goals },
    sections: sections.map(({ id, title, header, rows, goals: sectionGoals, notes, metrics, data }) => ({
      id,
      title,
      goals: sectionGoals,
      notes,
      table: { header, rows },
      metrics,
      data,
    })),
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}

/** One line per goal: the scenario, the goal, what was measured, met or MISSED. */
function goalsTable(sections) {
  const rows = allGoals(sections).map((g) => [g.section, g.text, g.actual, mark(g.met)]);
  return markdownTable(['scenario', 'goal', 'measured', 'result'], rows);
}

/** The markdown that goes between the README's performance markers. */
export function readmeSection(run, sections) {
  const goals = allGoals(sections);
  const lines = [
    `Measured by \`${run.command}\` on ${run.date.slice(0, 10)}: ${describeMachine(run.machine)}; ` +
      `1-minute load average before the run ${run.loadAverageBefore}.`,
    '',
    'The command starts its own containers, warms every scenario up, then repeats it; the tables show',
    'medians (p50) and the slow tail (p95), and every ratio compares numbers measured in the same run',
    '(absolute times vary between machines and runs; the ratios are what count). Raw samples:',
    '`bench/results/latest.json`; `npm run bench -- --smoke` runs every scenario once at the smallest sizes.',
    '',
    'Every goal is a ratio between two rows of the same run. The chart shows each measured ratio (bar)',
    "against its goal (black mark), and the headline suite's wall times:",
    '',
    `![Benchmark goals as ratios, and the headline suite's wall times](${CHART})`,
    '',
    goalCount(goals),
    '',
    goalsTable(sections),
  ];
  for (const section of sections) {
    lines.push('', `### ${section.title}`, '', markdownTable(section.header, section.rows), '');
    if (section.goals.length > 0) lines.push(...goalLines(section), '');
    lines.push(section.notes.join(' '));
  }
  return lines.join('\n');
}

/** The chart of a run: the headline's wall times (when it ran) and every goal against its target. */
export function chartSvg(run, sections) {
  const goals = allGoals(sections).map((g) => ({
    label: g.short ?? g.text,
    ratio: g.ratio,
    target: g.target,
    targetLabel: g.target === undefined ? '?' : targetLabel(g),
    met: g.met,
  }));
  const bars = sections.find((section) => section.chart)?.chart;
  const { met, measured } = tally(allGoals(sections));
  return benchmarkChart({
    title: `timescale-testkit benchmark: ${met} of ${measured} goals met`,
    subtitle: [
      `${run.command}, ${run.date.slice(0, 10)}${run.smoke ? ' (smoke: indicative only)' : ''}; ratios of medians (p50) measured in the same run`,
      ...(run.machine ? [describeMachine(run.machine).replaceAll('`', '')] : []),
    ],
    bars,
    goals: { title: 'Goals: the measured ratio (bar) against its goal (black mark), log scale', goals },
  });
}

/** Writes the chart to `path`. */
export async function writeChart(path, run, sections) {
  await writeFile(path, chartSvg(run, sections));
}

/** Replaces the text between the README's performance markers, nothing else. */
export async function updateReadme(run, sections) {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START_MARKER} … ${END_MARKER} region`);
  const before = readme.slice(0, start + START_MARKER.length);
  const after = readme.slice(end);
  await writeFile(README, `${before}\n${readmeSection(run, sections)}\n${after}`);
}
