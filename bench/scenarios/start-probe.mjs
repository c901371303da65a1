// Child process of the start scenario: one start as a new `vitest run` process makes it — a
// new process, so nothing is cached in memory (testcontainers' Docker client, the kit's map of
// running containers). Prints one JSON line with its timings.
//   node bench/scenarios/start-probe.mjs cold|warm
//   env BENCH_START: JSON { container, migrations, runId, sharedClones }
const loadedAt = performance.now(); // since this process started: Node's boot
const kit = await import('../../dist/index.js');
const importedAt = performance.now();

const mode = process.argv[2];
const { container, migrations, runId, sharedClones } = JSON.parse(process.env.BENCH_START ?? '{}');

const started = performance.now();
const server = await kit.startTimescale(container);
let template;
try {
  template = await kit.createTemplate(server, { migrations, runId });
  const readyMs = performance.now() - started;
  // the vitest global setup then starts the clone broker: one clone per worker made
  const shared = await template.brokerClones(sharedClones);
  const withSharedMs = performance.now() - started;
  await shared.stop();
  const warm = server.reused && template.report === undefined;
  if (mode === 'warm' && !warm) throw new Error('expected a reused container and an existing template');
  if (mode === 'cold' && (server.reused || template.report === undefined)) {
    throw new Error('expected a new container and a template built from the migrations');
  }
  console.log(JSON.stringify({ mode, readyMs, withSharedMs, bootMs: loadedAt, importMs: importedAt - loadedAt, warm }));
} finally {
  await template?.dropRun();
  await template?.close();
  // a reused container keeps running (the next run finds it); a cold one is removed
  await server.stop();
}
