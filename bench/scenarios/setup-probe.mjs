// Child process of the setup scenario: what a new test worker does before its first test, in a
// new Node process (nothing warmed up: no connection made yet, no code path run yet), each
// step timed. Prints one JSON line.
//   node bench/scenarios/setup-probe.mjs worker          env BENCH_SETUP: { serverUrl, template, runId }
//   node bench/scenarios/setup-probe.mjs connect         env BENCH_SETUP: { serverUrl }; the process's
//                                                        first connection, then a second one
//   node bench/scenarios/setup-probe.mjs import <module>  the time to import <module> (e.g. faker)
const mode = process.argv[2];

async function timed(work) {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

if (mode === 'connect') {
  const { serverUrl } = JSON.parse(process.env.BENCH_SETUP ?? '{}');
  const { default: pg } = await import('pg');
  const connect = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    const { ms } = await timed(() => client.connect());
    await client.end();
    return ms;
  };
  const firstMs = await connect();
  const secondMs = await connect();
  console.log(JSON.stringify({ firstMs, secondMs }));
} else if (mode === 'import') {
  const { ms } = await timed(() => import(process.argv[3]));
  console.log(JSON.stringify({ importMs: ms }));
} else if (mode === 'worker') {
  const { serverUrl, template, runId, broker } = JSON.parse(process.env.BENCH_SETUP ?? '{}');
  const kit = await import('../../dist/index.js');
  // what the worker's file fixture does: attach to the run's template, claim a clone (the
  // process's first line to the run's clone broker), open the test's transaction on it (the
  // clone's first connection, then BEGIN)
  const handle = kit.Template.attach(serverUrl, template, { runId, prepared: 0, broker });
  const claim = await timed(() => handle.clone());
  const db = claim.result;
  const begin = await timed(() => db.begin());
  const factories = kit.createFactories(begin.result.pool, { seed: 1 });
  // the first test's first write: reads the columns of the tables it writes first
  const firstCreate = await timed(() => factories.order.create());
  const secondCreate = await timed(() => factories.order.create());
  await begin.result.rollback();
  await db.drop();
  await handle.close();
  console.log(
    JSON.stringify({
      claimMs: claim.ms,
      beginMs: begin.ms,
      firstCreateMs: firstCreate.ms,
      secondCreateMs: secondCreate.ms,
    }),
  );
} else {
  throw new Error(`unknown mode ${mode}: worker | import <module>`);
}
