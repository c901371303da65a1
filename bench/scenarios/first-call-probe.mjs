// Child process of the factories scenario: the first factory calls of a fresh Node process, as a
// test file's first test makes them (the kit's code and faker loaded, the columns read), each
// step timed, then the same calls again (warm). Prints one JSON line.
//   node bench/scenarios/first-call-probe.mjs [kit module]   env BENCH_FIRST_CALL: { url, candles, orders }
const started = performance.now();
const { url, candles, orders } = JSON.parse(process.env.BENCH_FIRST_CALL ?? '{}');
const { default: pg } = await import('pg');
const pool = new pg.Pool({ connectionString: url, max: 2 });
await (await pool.connect()).release();

async function timed(work) {
  const begin = performance.now();
  await work();
  return performance.now() - begin;
}

const FROM = new Date('2024-01-01T00:00:00Z');
const client = await pool.connect();
try {
  await client.query('BEGIN');
  let kit;
  const importMs = await timed(async () => {
    kit = await import(process.argv[2] ?? '../../dist/domain/index.js');
  });
  const factories = kit.createFactories(client, { seed: 3 });
  let session;
  const calls = async () => ({
    seriesMs: await timed(() => factories.candlestick.series({ count: candles, from: FROM })),
    createListMs: await timed(async () => {
      session ??= await factories.tradingSession.create();
      await factories.order.createList(orders, { session });
    }),
  });
  const first = await calls();
  await client.query('TRUNCATE candlesticks');
  const warm = await calls();
  await client.query('ROLLBACK');
  console.log(
    JSON.stringify({
      importMs,
      firstSeriesMs: first.seriesMs,
      firstCreateListMs: first.createListMs,
      warmSeriesMs: warm.seriesMs,
      warmCreateListMs: warm.createListMs,
      processMs: performance.now() - started,
    }),
  );
} finally {
  client.release();
  await pool.end();
}
