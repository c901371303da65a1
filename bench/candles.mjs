// Bulk candle insert (factories, unnest batches) vs row-by-row INSERT, in the same run.
//
//   npm run build && node bench/candles.mjs
//
// Env: BENCH_DATABASE_URL (a server to use instead of starting a container),
// BENCH_ROWS (bulk rows per round, default 100000), BENCH_ROW_BY_ROW (rows per round, default 3000),
// BENCH_ROUNDS (default 5), BENCH_BATCH_SIZE (rows per statement, default the kit's), TIMESCALE_TESTKIT_DIST (built package dir, default ./dist),
// TIMESCALE_TESTKIT_IMAGE (image for the container).
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(process.env.TIMESCALE_TESTKIT_DIST ?? join(root, 'dist'));
const kit = await import(pathToFileURL(join(dist, 'index.js')).href);

const BULK = Number(process.env.BENCH_ROWS ?? 100_000);
const SINGLE = Number(process.env.BENCH_ROW_BY_ROW ?? 3_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = process.env.BENCH_BATCH_SIZE ? { batchSize: Number(process.env.BENCH_BATCH_SIZE) } : {};
const TARGET_RATE = 100_000;
const TARGET_RATIO = 30;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function prepare(url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `bench_candles_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  const dir = join(root, 'fixtures', 'migrations');
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) {
    await client.query(await readFile(join(dir, file), 'utf8'));
  }
  await client.end();
  return {
    url: target.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** The same candles, one parameterised INSERT per row: the baseline hand-written seeding uses. */
async function rowByRow(pool, rows) {
  const sql = `INSERT INTO candlesticks (time, symbol, exchange, interval, open, high, low, close, volume, trades_count)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
  for (const row of rows) {
    await pool.query(sql, [
      row.time,
      row.symbol,
      row.exchange,
      row.interval,
      row.open,
      row.high,
      row.low,
      row.close,
      row.volume,
      row.tradesCount,
    ]);
  }
}

const server = process.env.BENCH_DATABASE_URL ? undefined : await kit.startTimescale();
const database = await prepare(process.env.BENCH_DATABASE_URL ?? server.connectionString);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
try {
  const factories = kit.createFactories(pool, { seed: 1 });
  const bulk = [];
  const single = [];
  // round 0 warms up (JIT, chunk creation paths) and is not counted
  for (let round = 0; round <= ROUNDS; round++) {
    await pool.query('TRUNCATE candlesticks');
    const from = new Date(Date.UTC(2020, 0, 1 + round * 100));
    let start = performance.now();
    await factories.candlestick.series({ symbol: 'BTCUSDT', count: BULK, from, returning: false, ...BATCH });
    const bulkRate = (BULK / (performance.now() - start)) * 1000;

    const rows = await factories.candlestick.series({ symbol: 'TMP', count: SINGLE, from });
    await pool.query("DELETE FROM candlesticks WHERE symbol = 'TMP'");
    const baseline = rows.map((row) => ({ ...row, symbol: 'ETHUSDT' }));
    start = performance.now();
    await rowByRow(pool, baseline);
    const singleRate = (SINGLE / (performance.now() - start)) * 1000;
    const label = round === 0 ? 'warm-up' : `round ${round}`;
    console.log(`${label}: bulk ${Math.round(bulkRate)} rows/s, row-by-row ${Math.round(singleRate)} rows/s`);
    if (round === 0) continue;
    bulk.push(bulkRate);
    single.push(singleRate);
  }
  const rate = median(bulk);
  const baseline = median(single);
  const ratio = rate / baseline;
  console.log('');
  console.log(`| method | rows per round | median rows/s |`);
  console.log(`| --- | --- | --- |`);
  console.log(`| factories.candlestick.series (unnest batches) | ${BULK} | ${Math.round(rate)} |`);
  console.log(`| row-by-row INSERT | ${SINGLE} | ${Math.round(baseline)} |`);
  console.log('');
  console.log(`speed-up ${ratio.toFixed(1)}x`);
  console.log(`target >= ${TARGET_RATE} rows/s: ${rate >= TARGET_RATE ? 'met' : 'NOT met'}`);
  console.log(`target >= ${TARGET_RATIO}x row-by-row: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`);
} finally {
  await pool.end();
  await database.drop();
  await server?.stop();
}
