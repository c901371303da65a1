// Scenario 4 — start. From nothing to a ready template, in a new process each time:
//   cold  a new container, the migrations applied into a new template
//   warm  reuse on and the migrations unchanged: find the running container, find the template
//         (what the vitest global setup does on the second run); plus the same with the shared
//         clones filled, which is when the global setup hands over to the workers
// The reused container is this run's own (a server setting names the bench run, so its
// configuration hash is unique) and removed at the end.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTemplate, startTimescale } from '../../dist/index.js';
import { benchClusterName } from '../lib/containers.mjs';
import { fasterGoal } from '../lib/goals.mjs';
import { formatMs, summarize } from '../lib/stats.mjs';
import { durationSection } from '../lib/tables.mjs';

const run = promisify(execFile);
const PROBE = join(import.meta.dirname, 'start-probe.mjs');
const SHARED_CLONES = 2;

async function probe(mode, container, migrations, runId) {
  const env = {
    ...process.env,
    BENCH_START: JSON.stringify({ container, migrations, runId, sharedClones: SHARED_CLONES }),
  };
  const { stdout } = await run(process.execPath, [PROBE, mode], { env, timeout: 180_000 });
  const line = stdout.trim().split('\n').at(-1);
  return JSON.parse(line);
}

/** Container options of the warm runs: a server setting that names the run makes its hash unique. */
function warmContainerOptions(runId) {
  return { reuse: true, settings: { cluster_name: benchClusterName(runId) } };
}

export async function startScenario({ runId, migrations, sizes, log, onReused }) {
  const { coldRounds, warmRounds } = sizes.start;
  const cold = [];
  for (let round = 0; round < coldRounds; round++) {
    cold.push(await probe('cold', { reuse: false }, migrations, runId));
    log(`cold start ${round + 1}/${coldRounds}: ${formatMs(cold.at(-1).readyMs)}`);
  }

  const warmOptions = warmContainerOptions(runId);
  // the first run with reuse: starts the container and builds the template (not measured); the
  // final sweep finds it by its cluster_name even if this fails
  const reused = await startTimescale(warmOptions);
  onReused(reused.configHash);
  const warm = [];
  try {
    const template = await createTemplate(reused, { migrations, runId });
    await template.close();
    for (let round = 0; round <= warmRounds; round++) {
      const result = await probe('warm', warmOptions, migrations, runId);
      if (round > 0) warm.push(result); // the first warm start is a warm-up
      log(`warm start ${round}/${warmRounds}: ${formatMs(result.readyMs)}${round === 0 ? ' (warm-up)' : ''}`);
    }
  } finally {
    await reused.stop({ remove: true });
  }

  const coldReady = summarize(cold.map((r) => r.readyMs));
  const warmReady = summarize(warm.map((r) => r.readyMs));
  const warmShared = summarize(warm.map((r) => r.withSharedMs));
  const importMs = summarize([...cold, ...warm].map((r) => r.importMs));
  return durationSection({
    id: 'start',
    title: 'Start: to a ready template',
    rows: [
      {
        id: 'warm',
        label: 'warm: reused container, template found',
        summary: warmReady,
        reference: true,
        short: 'warm',
      },
      {
        id: 'warm-shared',
        label: `warm, and ${SHARED_CLONES} shared clones filled (the global setup's hand-over)`,
        summary: warmShared,
      },
      { id: 'cold', label: 'cold: new container, migrations, template', summary: coldReady },
    ],
    goals: [
      // was "warm p50 ≤ 0.5 s", when a cold start took about 1.8 s here
      fasterGoal({
        text: 'warm start ≥ 3.5× faster than a cold start (p50)',
        short: 'warm start vs cold start',
        slowMs: coldReady.p50,
        fastMs: warmReady.p50,
        target: 3.5,
      }),
    ],
    notes: [
      `Each start runs in a new Node process; loading the kit there takes another ${formatMs(importMs.p50)} (not included).`,
    ],
    extra: { importMs },
  });
}
