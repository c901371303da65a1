// Output of a run: the console table, results/*.json, and the README's Performance section
// (only the text between its markers is replaced).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const REPOSITORY = join(import.meta.dirname, '..');
const README = join(REPOSITORY, 'README.md');
const START_MARKER = '<!-- performance:start -->';
const END_MARKER = '<!-- performance:end -->';

/** A markdown table, columns padded so that it reads in a terminal too. */
export function markdownTable(header, rows) {
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length), 3));
  const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const mark = (met) => (met ? 'met' : '**MISSED**');

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
  const missed = goals.filter((g) => !g.met);
  out.push('', `Goals met: ${goals.length - missed.length} of ${goals.length}.`);
  if (run.smoke) out.push('(smoke: one sample per approach at the smallest sizes; the goals are indicative only)');
  for (const g of missed) out.push(`  MISSED: ${g.section}: ${g.text} (${g.actual})`);
  out.push(`Total time ${(run.totalMs / 1000).toFixed(0)} s.`);
  console.log(out.join('\n'));
}

/** results/<name>.json: the machine, the sizes, every summary with its samples. */
export async function writeJson(path, run, sections) {
  const goals = allGoals(sections);
  const document = {
    ...run,
    goals: { met: goals.filter((g) => g.met).length, total: goals.length, list: goals },
    sections: sections.map(({ id, title, header, rows, goals: sectionGoals, notes, data }) => ({
      id,
      title,
      goals: sectionGoals,
      notes,
      table: { header, rows },
      data,
    })),
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}

/** One line per goal: the scenario, the goal, what was measured, met or MISSED. */
function goalsTable(sections) {
  const rows = allGoals(sections).map((g) => [g.section, g.text, g.actual, g.met ? 'met' : '**MISSED**']);
  return markdownTable(['scenario', 'goal', 'measured', 'result'], rows);
}

/** The markdown that goes between the README's performance markers. */
export function readmeSection(run, sections) {
  const goals = allGoals(sections);
  const met = goals.filter((g) => g.met).length;
  const lines = [
    `Measured by \`${run.command}\` on ${run.date.slice(0, 10)}: ${describeMachine(run.machine)}; ` +
      `1-minute load average before the run ${run.loadAverageBefore}.`,
    '',
    'The command starts its own containers, warms every scenario up, then repeats it; the tables show',
    'medians (p50) and the slow tail (p95), and every ratio compares numbers measured in the same run',
    '(absolute times vary between machines and runs; the ratios are what count). Raw samples:',
    '`bench/results/latest.json`; `npm run bench -- --smoke` runs every scenario once at the smallest sizes.',
    '',
    `Goals met: ${met} of ${goals.length}.`,
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
