// Scenario 6 — the headline: the suite a team actually runs. A generated project of 50 test
// files × 10 tests (each writes an order and its session through the factories, reads it back
// and counts, in a per-test transaction) on 2 workers, timed end to end as `vitest run` from
// spawn to exit (container start, template, every file, teardown), side by side with:
//   baseline   the same suite testcontainers' own way: a container per worker, restoreSnapshot()
//              per file, the rows written with hand-written INSERTs (see scale-project.mjs)
//   floor      vitest alone: the same files and tests with no database (what vitest costs)
//   settings   the kit under vitest's faster settings: `isolate: false` (files share their
//              worker's modules, so a file does not pay for a new worker), and also with
//              `pool: 'threads'`
// Cold: the first run, which starts a new container (the kit's, with `reuse: true`) or new
// containers (the baseline's, with withReuse()) and leaves them running; reused: the next runs,
// which find them again (the kit's template and the baseline's snapshots too). A cold run with
// reuse off would also stop its container at the end (under a second; not included).
// While one approach is measured, the other's reused containers are paused (see focusContainers):
// a user runs one of them, not both.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchClusterName, focusContainers } from '../lib/containers.mjs';
import { fasterGoal } from '../lib/goals.mjs';
import { formatMs, formatRatio, summarize } from '../lib/stats.mjs';
import { vitestRun } from '../lib/vitest-run.mjs';
import { installKit, writeScaleProject } from './scale-project.mjs';

const REPOSITORY = join(import.meta.dirname, '..', '..');

/** The settings the README recommends with the kit. */
export const RECOMMENDED = 'kit-isolate-false';

/** Reused runs: measured `repetitions` times each, in rotating order. */
const REUSED = [
  {
    id: 'kit-isolate-false',
    approach: 'kit',
    label: 'kit, `isolate: false` (recommended)',
    settings: { isolate: false },
  },
  {
    id: 'kit-threads',
    approach: 'kit',
    label: "kit, `isolate: false`, `pool: 'threads'`",
    settings: { isolate: false, pool: 'threads' },
  },
  { id: 'kit-defaults', approach: 'kit', label: 'kit, vitest defaults', settings: {} },
  {
    id: 'baseline',
    approach: 'baseline',
    label: 'testcontainers: container per worker, restoreSnapshot() per file',
    short: 'testcontainers baseline',
  },
  {
    id: 'vitest-alone',
    approach: 'plain',
    label: 'vitest alone: the same files and tests, no database, vitest defaults (the floor)',
    short: 'vitest alone, no database',
  },
];
/** Cold runs: the first run of these projects, on new containers. */
const COLD = [
  { id: 'kit-cold', project: 'kit-defaults', approach: 'kit', label: 'kit, vitest defaults, new container' },
  { id: 'baseline-cold', project: 'baseline', approach: 'baseline', label: 'testcontainers, new containers' },
];

/** Kit options of the reused runs: a server setting that names the bench run makes the container this run's own. */
function reusedKitOptions(runId) {
  return { reuse: true, container: { settings: { cluster_name: benchClusterName(runId) } } };
}

async function writeProjects(root, { files, tests, workers, image, migrations, runId }) {
  const dirs = {};
  const common = { count: files, tests, body: 'factories', image, migrations, runId, workers };
  for (const variant of REUSED) {
    dirs[variant.id] = join(root, variant.id);
    await mkdir(dirs[variant.id], { recursive: true });
    await writeScaleProject(dirs[variant.id], variant.approach, {
      ...common,
      settings: variant.settings ?? {},
      kit: reusedKitOptions(runId),
      keep: true,
      database: 'headline',
    });
  }
  for (const variant of COLD) dirs[variant.id] = dirs[variant.project];
  return dirs;
}

/** A kit run must say which container it used: a "reused" run that started a new one measures the wrong thing. */
function checkContainer(variant, result, { reused }) {
  if (variant.approach !== 'kit') return;
  const how = /\(container [0-9a-f]+, (new|reused)\)/.exec(result.stderr ?? '')?.[1];
  if (how !== (reused ? 'reused' : 'new')) {
    throw new Error(
      `${variant.id}: expected a ${reused ? 'reused' : 'new'} container, the run reported ${how ?? 'none'}`,
    );
  }
}

export async function headlineScenario({ runId, image, migrations, sizes, log }) {
  const { files, tests, workers, repetitions } = sizes.headline;
  const root = join(REPOSITORY, '.tmp', 'bench-headline', runId);
  const runs = Object.fromEntries([...REUSED, ...COLD].map((v) => [v.id, []]));
  try {
    await installKit(root);
    const dirs = await writeProjects(root, { files, tests, workers, image, migrations, runId });
    const measure = async (variant, reused) => {
      // only the measured approach's containers run (the others are paused)
      await focusContainers({ runId, approach: variant.approach === 'plain' ? 'none' : variant.approach });
      const result = await vitestRun(dirs[variant.id], files);
      checkContainer(variant, result, { reused });
      runs[variant.id].push(result);
      log(`${variant.id}: ${formatMs(result.wallMs)}`);
    };
    // the cold runs start the containers (and build the kit's template, the baseline's
    // snapshots) that the reused runs find
    for (const variant of COLD) await measure(variant, false);
    for (let rep = 0; rep < repetitions; rep++) {
      const order = REUSED.map((_, k) => REUSED[(rep + k) % REUSED.length]);
      for (const variant of order) await measure(variant, true);
    }
  } finally {
    await focusContainers({ runId, approach: 'all' }).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
  return headlineSection(runs, { files, tests, workers });
}

function summaryOf(results) {
  const files = results.flatMap((r) => r.files);
  const pick = (key) => summarize(files.map((f) => f[key]).filter((v) => Number.isFinite(v)));
  return {
    wall: summarize(results.map((r) => r.wallMs)),
    setup: pick('setupMs'),
    // since the worker started: under vitest's defaults, the new worker's start and imports
    load: pick('loadMs'),
    db: pick('dbMs'),
    factories: pick('factoriesMs'),
  };
}

/** Reused runs say so; the cold runs and vitest alone (no container) do not. */
const suffix = (variant) => (COLD.includes(variant) || variant.approach === 'plain' ? '' : ', reused');

export function headlineSection(runs, { files, tests, workers }) {
  const s = Object.fromEntries(Object.entries(runs).map(([id, results]) => [id, summaryOf(results)]));
  const wall = (id) => s[id].wall.p50;
  const variants = [...REUSED, ...COLD];
  const perFile = (id) => (s[id].setup.n > 0 ? `${formatMs(s[id].setup.p50)} / ${formatMs(s[id].setup.p95)}` : '—');
  const rows = variants.map((v) => [
    `${v.label}${suffix(v)}`,
    formatMs(wall(v.id)),
    `${formatMs(s[v.id].wall.min)} – ${formatMs(s[v.id].wall.max)}`,
    String(s[v.id].wall.n),
    perFile(v.id),
    formatRatio(wall(COLD.includes(v) ? 'baseline-cold' : 'baseline') / wall(v.id)),
  ]);
  const metrics = {};
  for (const v of variants) {
    metrics[v.id] = wall(v.id);
    metrics[`${v.id}-setup`] = s[v.id].setup.p50;
  }
  const split = (id) =>
    `loaded → \`db\` ready ${formatMs(s[id].db.p50)}, → \`factories\` ready ${formatMs(s[id].factories.p50)}, → first test ${formatMs(s[id].setup.p50)}`;
  return {
    id: 'headline',
    title: `Headline: ${files} files × ${tests} tests on ${workers} workers (vitest CLI, end to end)`,
    header: ['approach', 'wall p50', 'wall min – max', 'runs', 'setup per file p50 / p95', 'baseline ÷ this'],
    rows,
    goals: [
      fasterGoal({
        text: 'kit ≥ 3× faster than the testcontainers baseline (reused containers, vitest defaults, wall p50)',
        short: 'kit vs testcontainers baseline, reused',
        slowMs: wall('baseline'),
        fastMs: wall('kit-defaults'),
        target: 3,
      }),
      fasterGoal({
        text: 'kit under the recommended settings (`isolate: false`) ≥ 1.5× faster than under vitest defaults (wall p50)',
        short: 'kit, isolate: false vs vitest defaults',
        slowMs: wall('kit-defaults'),
        fastMs: wall(RECOMMENDED),
        target: 1.5,
      }),
    ],
    notes: [
      `Wall: the whole \`vitest run\` from spawn to exit (container start or reuse, template or snapshots, ${files * tests} tests, teardown). Each test writes an order (and its session) and reads it back: the kit through its factories in a per-test transaction; the baseline with hand-written INSERTs, the tests of a file sharing the file's restored database. "baseline ÷ this": the baseline's wall p50 (reused or cold, like the row) ÷ the row's.`,
      "While one approach runs, the other's reused containers are paused (frozen: no CPU), as a user runs one of them, not both: testcontainers' PostgreSqlContainer runs its health check (a shell and pg_isready, through dockerd) every 250 ms for as long as it runs: left running, the baseline's 2 idle containers take CPU from whatever runs beside them.",
      `Under the recommended settings the kit runs the suite ${formatRatio(wall('baseline') / wall(RECOMMENDED))} faster than the baseline.`,
      `Setup per file: from the file being loaded to its first test starting. Kit, vitest defaults: ${split('kit-defaults')}; \`isolate: false\`: ${split(RECOMMENDED)}.`,
      `vitest alone runs the same ${files} files × ${tests} tests with no database in ${formatMs(wall('vitest-alone'))} under its defaults; the kit takes ${formatRatio(wall('kit-defaults') / wall('vitest-alone'))} that time there and the baseline ${formatRatio(wall('baseline') / wall('vitest-alone'))}, so under vitest's defaults no way of providing the databases can be more than ${formatRatio(wall('baseline') / wall('vitest-alone'))} faster than the baseline.`,
      `Under vitest's defaults every file starts in a new worker, which takes ${formatMs(s['kit-defaults'].load.p50)} (kit) and ${formatMs(s.baseline.load.p50)} (baseline) from its start to the file loaded, before any setup; a worker's time per file (wall × ${workers} workers ÷ ${files} files) is ${formatMs((wall('kit-defaults') * workers) / files)} for the kit under defaults, ${formatMs((wall(RECOMMENDED) * workers) / files)} with \`isolate: false\`, ${formatMs((wall('baseline') * workers) / files)} for the baseline.`,
    ],
    metrics,
    chart: {
      title: `Headline: ${files} files × ${tests} tests on ${workers} workers, wall time (p50)`,
      unit: 's',
      rows: variants.map((v) => ({
        label: `${(v.short ?? v.label).replaceAll('`', '')}${suffix(v)}`,
        value: wall(v.id) / 1000,
      })),
    },
    data: { files, tests, workers, recommended: RECOMMENDED, summaries: s },
  };
}
