// The benchmark: every scenario side by side with the baselines the kit replaces, in one run.
//
//   npm run bench                 full run; writes bench/results/latest.json and the README's
//                                 Performance section (between its markers)
//   npm run bench -- --smoke      one repetition, smallest sizes; writes bench/results/smoke.json
//   npm run bench -- --only=clone,between-tests,factories,setup,start,scale,headline
//                                 a subset; writes bench/results/partial.json
// Each run also draws its goals (and the headline's wall times) as an SVG next to its JSON.
//
// It starts its own containers (image: env TIMESCALE_TESTKIT_IMAGE, else the kit's default) and
// removes every one of them at the end, also on failure or Ctrl-C.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sweepContainers } from './lib/containers.mjs';
import { resolveGoals } from './lib/goals.mjs';
import { describeHost, describeServer, loadAverage } from './lib/machine.mjs';
import { readOptions } from './lib/options.mjs';
import { printReport, updateReadme, writeChart, writeJson } from './report.mjs';
import { betweenTestsScenario } from './scenarios/between-tests.mjs';
import { cloneScenario } from './scenarios/clone.mjs';
import { factoriesScenario } from './scenarios/factories.mjs';
import { headlineScenario } from './scenarios/headline.mjs';
import { scaleScenario } from './scenarios/scale.mjs';
import { setupScenario } from './scenarios/setup.mjs';
import { startScenario } from './scenarios/start.mjs';

const options = readOptions();
// one run id for everything this run makes: clone names, container labels, the final sweep
const runId = `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
process.env.TIMESCALE_TESTKIT_RUN_ID = runId;
const { createTemplate, startTimescale } = await import('../dist/index.js');

const migrations = join(import.meta.dirname, '..', 'fixtures', 'migrations');
const results = join(import.meta.dirname, 'results');
const began = performance.now();
const loadAtStart = loadAverage();
const logger = (scenario) => (message) => console.error(`[bench ${scenario}] ${message}`);

/** Scenarios on the run's shared server first; `start`, `scale` and `headline` start their own. */
const ON_SHARED_SERVER = {
  clone: cloneScenario,
  'between-tests': betweenTestsScenario,
  factories: factoriesScenario,
  setup: setupScenario,
};
const ON_THEIR_OWN = { start: startScenario, scale: scaleScenario, headline: headlineScenario };

let reusedConfigHash;
const sweep = async () => {
  const removed = await sweepContainers({ runId, reusedConfigHash }).catch((error) => {
    console.error(`[bench] sweep failed: ${error.message}`);
    return 0;
  });
  if (removed > 0) console.error(`[bench] removed ${removed} leftover container(s)`);
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`[bench] ${signal}: removing this run's containers`);
    void sweep().finally(() => process.exit(130));
  });
}

const sections = [];
let machine;
let exitCode = 0;
try {
  const log = logger('setup');
  log(`${options.smoke ? 'smoke' : 'full'} run ${runId}, image ${options.image}`);
  const server = await startTimescale({ reuse: false, image: options.image });
  let template;
  try {
    template = await createTemplate(server, { migrations, runId, prepared: 0 });
    const probe = await template.clone();
    machine = { host: describeHost(), server: await describeServer(probe.connectionString), image: options.image };
    await probe.drop();
    const context = { server, template, runId, image: options.image, migrations, sizes: options.sizes };
    for (const [name, scenario] of Object.entries(ON_SHARED_SERVER)) {
      if (!options.only.includes(name)) continue;
      sections.push(...[await scenario({ ...context, log: logger(name) })].flat());
    }
  } finally {
    await template?.dropRun().catch(() => undefined);
    await template?.close();
    await server.stop();
  }
  const context = { runId, image: options.image, migrations, sizes: options.sizes };
  const onReused = (hash) => {
    reusedConfigHash = hash;
  };
  for (const [name, scenario] of Object.entries(ON_THEIR_OWN)) {
    if (!options.only.includes(name)) continue;
    sections.push(...[await scenario({ ...context, onReused, log: logger(name) })].flat());
  }

  // goals between scenarios (e.g. per-file setup against the clone claim) once all have reported
  const resolved = resolveGoals(sections);
  const run = {
    date: new Date().toISOString(),
    command: options.command,
    smoke: options.smoke,
    scenarios: options.only,
    sizes: options.sizes,
    machine,
    // other work on the machine before the run (during it, the benchmark's own load counts too)
    loadAverageBefore: loadAtStart,
    totalMs: performance.now() - began,
  };
  printReport(run, resolved);
  const name = options.publish ? 'latest' : options.smoke ? 'smoke' : 'partial';
  await writeJson(join(results, `${name}.json`), run, resolved);
  await writeChart(join(results, `${name}.svg`), run, resolved);
  if (options.publish) {
    await updateReadme(run, resolved);
    console.error('[bench] wrote bench/results/latest.json, latest.svg and the README Performance section');
  } else {
    console.error(`[bench] wrote bench/results/${name}.json and ${name}.svg (README and latest.* untouched)`);
  }
} catch (error) {
  console.error(`[bench] failed: ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  await sweep();
}
process.exit(exitCode);
