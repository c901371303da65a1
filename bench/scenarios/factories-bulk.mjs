// Scenario 3 (continued) — bulk factories:
//   create-list  factories.order.createList(10,000) with its rows returned: COPY (ids and
//                defaults drawn in one round trip, rows echoed) vs the INSERT … unnest …
//                RETURNING path (copyThreshold: Infinity)
//   first call   a fresh Node process (first-call-probe.mjs): importing the kit's domain entry (what a test's factories fixture loads), then its first
//                candlestick.series and order.createList (faker loaded, the columns read), then
//                the same calls again in the same process
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { copyEncoded, encodedRows } from '../lib/copy-floor.mjs';
import { fasterGoal } from '../lib/goals.mjs';
import { compare, timed } from '../lib/measure.mjs';
import { formatMs, formatRatio, summarize } from '../lib/stats.mjs';
import { durationSection } from '../lib/tables.mjs';

const run = promisify(execFile);
const PROBE = join(import.meta.dirname, 'first-call-probe.mjs');

/** Orders built once, as one COPY: its statement and its text, encoded before the clock starts. */
function encodedOrders(rows) {
  const keys = Object.keys(rows[0]);
  const columns = keys.map((key) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
  return {
    sql: `COPY orders (${columns.join(', ')}) FROM STDIN`,
    text: encodedRows(rows.map((row) => keys.map((key) => row[key]))),
  };
}

async function createList(pool, factories, unnest, sizes, log) {
  const count = sizes.candles >= 100_000 ? 10_000 : 1_000;
  const session = await factories.tradingSession.create();
  const emptied = (write) => async () => {
    await pool.query('DELETE FROM orders');
    return (await timed(write)).ms;
  };
  const built = async () => (await timed(() => factories.order.buildList(count, { session }))).ms;
  // the floor's rows: built once and not timed, with ids of their own each round
  const orders = factories.order.buildList(count, { session });
  const encoded = () => encodedOrders(orders.map((order) => ({ ...order, id: randomUUID() })));
  const results = await compare(
    [
      { id: 'copy', once: emptied(() => factories.order.createList(count, { session })) },
      { id: 'unnest', once: emptied(() => unnest.order.createList(count, { session })) },
      { id: 'build', once: built },
      {
        id: 'floor',
        once: async () => {
          const rows = encoded();
          return emptied(() => copyEncoded(pool, rows.sql, rows.text))();
        },
      },
    ],
    { warmup: sizes.warmup, rounds: sizes.rounds },
  );
  // what no client-side path can beat: building the rows, then the floor's COPY
  const reachable = results.build.p50 + results.floor.p50;
  log('createList done');
  await pool.query('TRUNCATE trading_sessions CASCADE');
  const label = count.toLocaleString('en-US');
  return durationSection({
    id: 'factories-create-list',
    title: `Factories: order.createList(${label}) with its rows returned`,
    rows: [
      {
        id: 'copy',
        label: 'kit: COPY, ids and defaults drawn first, rows echoed',
        summary: results.copy,
        reference: true,
      },
      { id: 'unnest', label: 'kit: INSERT … unnest … RETURNING (copyThreshold: Infinity)', summary: results.unnest },
      { id: 'build', label: 'buildList of the same rows alone (no database)', summary: results.build },
      { id: 'floor', label: 'one COPY of the same rows, encoded beforehand (the floor)', summary: results.floor },
    ],
    goals: [
      fasterGoal({
        text: `createList(${label}) through COPY ≥ 3× faster than through INSERT … unnest (p50)`,
        short: 'createList: COPY vs unnest',
        slowMs: results.unnest.p50,
        fastMs: results.copy.p50,
        target: 3,
      }),
    ],
    notes: [
      `Both build the same rows (faker, traits, the checks) before they write them: ${formatMs(results.build.p50)} of both. Past the build, the write takes ${formatMs(results.copy.p50 - results.build.p50)} through COPY against ${formatMs(results.unnest.p50 - results.build.p50)} through unnest (${formatRatio((results.unnest.p50 - results.build.p50) / (results.copy.p50 - results.build.p50))}); the server's work per row (4 indexes, the foreign key checked per row) is in both.`,
      `The floor, one COPY of the same rows encoded beforehand (the server's work and the transfer), takes ${formatMs(results.floor.p50)}: ${formatRatio(results.unnest.p50 / results.floor.p50)} faster than the unnest path, the most any path could reach here even if its rows cost nothing to build. Building the rows, then that COPY, takes ${formatMs(reachable)} (${formatRatio(results.unnest.p50 / reachable)} faster than unnest); the kit's COPY path takes ${formatRatio(results.copy.p50 / reachable)} that time.`,
    ],
  });
}

async function firstCall(database, sizes, log) {
  const env = { BENCH_FIRST_CALL: JSON.stringify({ url: database.connectionString, candles: 10_000, orders: 1_000 }) };
  const rounds = Math.max(1, Math.min(sizes.rounds, 3));
  const samples = {};
  for (let round = 0; round < rounds; round++) {
    const { stdout } = await run(process.execPath, [PROBE], { env: { ...process.env, ...env }, timeout: 120_000 });
    const measured = JSON.parse(stdout.trim().split('\n').at(-1));
    for (const [key, value] of Object.entries(measured)) {
      samples[key] ??= [];
      samples[key].push(value);
    }
  }
  log('first call done');
  const summary = (key) => summarize(samples[key]);
  const firstSeries = summary('firstSeriesMs');
  const warmSeries = summary('warmSeriesMs');
  return durationSection({
    id: 'factories-first-call',
    title: 'Factories: the first call in a fresh process (10,000 candles, 1,000 orders)',
    rows: [
      { id: 'import', label: "import 'timescale-testkit/domain' (faker included)", summary: summary('importMs') },
      { id: 'first-series', label: 'first candlestick.series (rows returned)', summary: firstSeries, reference: true },
      {
        id: 'first-create-list',
        label: 'first order.createList (rows returned)',
        summary: summary('firstCreateListMs'),
      },
      { id: 'warm-series', label: 'the same series again, warm', summary: warmSeries },
      { id: 'warm-create-list', label: 'the same createList again, warm', summary: summary('warmCreateListMs') },
      { id: 'process', label: 'the whole process (start to last call)', summary: summary('processMs') },
    ],
    goals: [],
    notes: [
      `The first series pays ${formatMs(firstSeries.p50 - warmSeries.p50)} over a warm one (faker's English locale loaded, the columns of every table read in one query).`,
    ],
  });
}

/** The bulk sections of the factories scenario, on the scenario's clone. */
export async function bulkSections({ database, factories, unnest, sizes, log }) {
  return [await createList(database.pool, factories, unnest, sizes, log), await firstCall(database, sizes, log)];
}
