// Scenario 5 — scale. 8, 32 and 128 generated test files, one small database test each, run by
// vitest's CLI on 2 workers: the kit (its global setup + `test` fixtures) against hand-rolled
// testcontainers snapshots (see scale-project.mjs). Measured per run: wall time of the whole
// `vitest run` (start to exit: containers, migrations, every file, teardown), and in every file
// the time from the file being loaded to its test starting (the database's setup as it sees it).
// Both run under the vitest settings the README recommends (`isolate: false`: a worker runs file
// after file, as a suite runs in practice); the headline scenario compares them with the defaults.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ratioGoal } from '../lib/goals.mjs';
import { formatMs, formatRatio, summarize } from '../lib/stats.mjs';
import { vitestRun } from '../lib/vitest-run.mjs';
import { installKit, writeScaleProject } from './scale-project.mjs';

/** The vitest settings the README recommends. */
const SETTINGS = { isolate: false };

const REPOSITORY = join(import.meta.dirname, '..', '..');
const APPROACHES = ['kit', 'baseline'];
/** Flat: at the largest count, the per-file setup p50 within this factor of the smallest count's. */
const FLAT_FACTOR = 1.5;

export async function scaleScenario({ runId, image, migrations, sizes, log }) {
  const { counts, repetitions, workers } = sizes.scale;
  const root = join(REPOSITORY, '.tmp', 'bench-scale', runId);
  const measured = [];
  try {
    await installKit(root);
    for (const count of counts) {
      const entry = { count, kit: { wall: [], setup: [] }, baseline: { wall: [], setup: [] } };
      const dirs = {};
      for (const approach of APPROACHES) {
        dirs[approach] = join(root, `${approach}-${count}`);
        await mkdir(dirs[approach], { recursive: true });
        await writeScaleProject(dirs[approach], approach, {
          count,
          image,
          migrations,
          runId,
          workers,
          settings: SETTINGS,
        });
      }
      const reps = repetitions[count] ?? 1;
      for (let rep = 0; rep < reps; rep++) {
        // alternate which approach goes first
        for (const approach of rep % 2 ? [...APPROACHES].reverse() : APPROACHES) {
          const result = await vitestRun(dirs[approach], count);
          entry[approach].wall.push(result.wallMs);
          entry[approach].setup.push(...result.files.map((f) => f.setupMs));
          log(`${count} files, ${approach}: ${formatMs(result.wallMs)}`);
        }
      }
      measured.push(entry);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return scaleSection(measured, workers);
}

/** How the per-file cost grows with the file count, in one sentence. */
function growthSentence(data, trend) {
  const counts = data.map((d) => d.files).join(' → ');
  if (data.length < 2) return `Per-file setup at ${counts} files: kit ${trend('kit')}, baseline ${trend('baseline')}.`;
  const growth = (a) => data.at(-1)[a].setup.p50 / data[0][a].setup.p50;
  const verdict = (a) => (growth(a) <= FLAT_FACTOR ? 'stays flat' : `grows ${formatRatio(growth(a))}`);
  const marginal = (a) =>
    data
      .slice(1)
      .map((d) => formatMs(d.marginalWallMs[a]))
      .join(' → ');
  return (
    `As the file count grows (${counts} files), the kit's per-file setup ${verdict('kit')} (${trend('kit')}) and each added file costs ${marginal('kit')} of wall time; ` +
    `the baseline's per-file setup ${verdict('baseline')} (${trend('baseline')}), at ${marginal('baseline')} per added file.`
  );
}

function scaleSection(measured, workers) {
  const rows = [];
  const data = [];
  let previous;
  for (const entry of measured) {
    const summary = Object.fromEntries(
      APPROACHES.map((a) => [a, { wall: summarize(entry[a].wall), setup: summarize(entry[a].setup) }]),
    );
    // the wall time each added file costs, from the previous count to this one
    const marginal = (a) =>
      previous ? (summary[a].wall.p50 - previous.summary[a].wall.p50) / (entry.count - previous.count) : Number.NaN;
    const perFile = (a) => `${formatMs(summary[a].setup.p50)} / ${formatMs(summary[a].setup.p95)}`;
    rows.push([
      String(entry.count),
      formatMs(summary.kit.wall.p50),
      formatMs(summary.baseline.wall.p50),
      formatRatio(summary.baseline.wall.p50 / summary.kit.wall.p50),
      perFile('kit'),
      perFile('baseline'),
      previous ? `${formatMs(marginal('kit'))} / ${formatMs(marginal('baseline'))}` : '—',
    ]);
    data.push({
      files: entry.count,
      runs: entry.kit.wall.length,
      ...summary,
      marginalWallMs: { kit: marginal('kit'), baseline: marginal('baseline') },
    });
    previous = { count: entry.count, summary };
  }
  const first = data[0];
  const last = data.at(-1);
  const growth = (a) => last[a].setup.p50 / first[a].setup.p50;
  const goals =
    data.length > 1
      ? [
          ratioGoal({
            text: `kit per-file setup stays flat (p50 at ${last.files} files ≤ ${FLAT_FACTOR}× the p50 at ${first.files})`,
            short: `scale: per-file setup, ${last.files} vs ${first.files} files`,
            ratio: growth('kit'),
            target: FLAT_FACTOR,
            direction: 'atMost',
            detail: `${formatMs(first.kit.setup.p50)} → ${formatMs(last.kit.setup.p50)}`,
          }),
        ]
      : [];
  // per-file setup over every file of every count (it does not depend on the count: the goal above)
  const pooled = (a) => summarize(measured.flatMap((entry) => entry[a].setup)).p50;
  const trend = (a) => data.map((d) => formatMs(d[a].setup.p50)).join(' → ');
  return {
    id: 'scale',
    title: `Scale: test files on ${workers} workers (vitest CLI)`,
    header: [
      'files',
      'kit: wall',
      'baseline: wall',
      'baseline ÷ kit',
      'kit: setup per file p50 / p95',
      'baseline: setup per file p50 / p95',
      'wall per added file, kit / baseline',
    ],
    rows,
    goals,
    metrics: { 'kit-setup': pooled('kit'), 'baseline-setup': pooled('baseline') },
    notes: [
      'Wall: the whole `vitest run`, container start and teardown included (p50 over the runs). Setup per file: from the test file being loaded to its test starting — for the kit the clone claimed from the clone broker and connected to (the BEGIN of the test transaction goes out with the first statement of the test, in test time); for the baseline the worker container found with withReuse() and restoreSnapshot().',
      growthSentence(data, trend),
      'Both run under `isolate: false` (a worker runs file after file); what a new worker process costs is in the per-file setup breakdown.',
    ],
    data: { workers, counts: data },
  };
}
