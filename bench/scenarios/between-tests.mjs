// Scenario 2 — between tests. A test wrote rows into 2 of the 9 tables; what does it cost to
// give the next test empty tables? Each approach sees the same writes; the writes themselves
// are not timed, only the isolation around them:
//   kit       the per-test transaction (TestDatabase.begin(): BEGIN … ROLLBACK, what the
//             'transaction' mode runs), and 'truncate' mode (truncate({ onlyDirty: true }): the
//             dirty tables found and truncated server-side in one round trip)
//   baselines TRUNCATE of every table in one statement, DELETE FROM every table
// The same is measured a second time with a hypertable among the 2 dirty tables.
import { fasterGoal } from '../lib/goals.mjs';
import { compare, timed } from '../lib/measure.mjs';
import { formatMs, formatRatio } from '../lib/stats.mjs';
import { durationSection } from '../lib/tables.mjs';

/** The reference schema's 9 tables, children before parents (the order DELETE needs). */
const TABLES = [
  'trades',
  'orders',
  'positions',
  'performance_metrics',
  'llm_decisions',
  'trading_sessions',
  'agent_signals',
  'agent_status',
  'candlesticks',
];

/** Two writes each: 2 plain tables, or a plain table and a hypertable. */
const WRITES = {
  plain: {
    tables: 'agent_status, agent_signals',
    truncate: 'TRUNCATE agent_status, agent_signals RESTART IDENTITY',
    sql: `INSERT INTO agent_status (name, type, status) VALUES ('bench-agent', 'technical', 'RUNNING');
          INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('bench-agent', 'BTCUSDT', 'BUY', 0.5)`,
  },
  hypertable: {
    tables: 'agent_signals, candlesticks (hypertable)',
    truncate: 'TRUNCATE agent_signals, candlesticks RESTART IDENTITY',
    sql: `INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('bench-agent', 'BTCUSDT', 'BUY', 0.5);
          INSERT INTO candlesticks (time, symbol, interval, open, high, low, close, volume)
               VALUES ('2024-01-01T00:00:00Z', 'BTCUSDT', '1m', 100, 101, 99, 100.5, 3)`,
  },
};

/** A test's transaction around the (untimed) writes: BEGIN on a pinned connection, then ROLLBACK. */
async function rollback(database, writes) {
  const begin = await timed(() => database.begin());
  const transaction = begin.result;
  await transaction.pool.query(writes);
  return begin.ms + (await timed(() => transaction.rollback())).ms;
}

/** The writes committed, then the truncation a 'truncate' test ends with. */
async function dirtyOnly(database, writes) {
  await database.query(writes);
  return (await timed(() => database.truncate({ onlyDirty: true }))).ms;
}

function approachesFor(database, { sql: writes, truncate }) {
  // query(), not exec(): exec() also forgets the cached table list, which would tax the kit's next truncation
  const baseline = (sql) => async () => {
    await database.query(writes);
    return (await timed(() => database.query(sql))).ms;
  };
  return [
    { id: 'rollback', once: () => rollback(database, writes) },
    { id: 'dirty-only', once: () => dirtyOnly(database, writes) },
    { id: 'truncate-all', once: baseline(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`) },
    { id: 'delete-all', once: baseline(TABLES.map((table) => `DELETE FROM ${table}`).join('; ')) },
    { id: 'truncate-dirty', once: baseline(truncate) },
  ];
}

function rowsOf(results) {
  return [
    { id: 'rollback', label: 'kit: transaction rollback', summary: results.rollback, reference: true },
    { id: 'dirty-only', label: 'kit: truncateAll, dirty tables only', summary: results['dirty-only'] },
    { id: 'truncate-all', label: 'TRUNCATE every table (one statement)', summary: results['truncate-all'] },
    { id: 'delete-all', label: 'DELETE FROM every table', summary: results['delete-all'] },
    {
      id: 'truncate-dirty',
      label: 'TRUNCATE of the 2 dirty tables, named by hand (the floor)',
      summary: results['truncate-dirty'],
    },
  ];
}

function plainSection(results) {
  const dirtyVsAll = results['truncate-all'].p50 / results['dirty-only'].p50;
  return durationSection({
    id: 'between-tests',
    title: 'Between tests (2 of 9 tables dirty)',
    rows: rowsOf(results),
    goals: [
      // was "rollback p50 ≤ 1 ms", when TRUNCATE of every table took 6–9 ms here
      fasterGoal({
        text: 'rollback ≥ 5× faster than TRUNCATE of every table (p50)',
        short: 'rollback vs TRUNCATE of every table',
        slowMs: results['truncate-all'].p50,
        fastMs: results.rollback.p50,
        target: 5,
      }),
      fasterGoal({
        text: 'dirty-only ≥ 3× faster than TRUNCATE of every table (p50)',
        short: 'dirty-only truncation vs TRUNCATE of every table',
        slowMs: results['truncate-all'].p50,
        fastMs: results['dirty-only'].p50,
        target: 3,
      }),
    ],
    notes: [
      `Dirty tables: ${WRITES.plain.tables}; the other 7 are empty. Timed: opening and finishing the test's isolation (the writes are not timed).`,
      `Dirty-only is ${formatRatio(dirtyVsAll)} faster than TRUNCATE of every table: it finds the dirty tables from the catalog (no table is scanned) and truncates 2 tables instead of 9, in one round trip; finding them costs ${formatMs(results['dirty-only'].p50 - results['truncate-dirty'].p50)} over naming the 2 tables by hand (${formatRatio(results['truncate-all'].p50 / results['truncate-dirty'].p50)} faster than TRUNCATE of every table, the most dirty-only can reach).`,
      'DELETE is cheaper for a handful of rows, but it fires ON DELETE triggers, leaves dead rows and hypertable chunks behind, restarts no identity, and its cost grows with the rows.',
    ],
    extra: { dirtyTables: WRITES.plain.tables, dirtyOnlyVsTruncateAll: dirtyVsAll },
  });
}

function hypertableSection(results, plain) {
  const dirtyVsAll = results['truncate-all'].p50 / results['dirty-only'].p50;
  return durationSection({
    id: 'between-tests-hypertable',
    title: 'Between tests, a hypertable among the 2 dirty tables (no goal; for comparison)',
    rows: rowsOf(results),
    goals: [],
    notes: [
      `Dirty tables: ${WRITES.hypertable.tables}; the other 7 are empty. Dirty-only is ${formatRatio(dirtyVsAll)} faster than TRUNCATE of every table.`,
      `TRUNCATE of a hypertable also drops its chunks: dirty-only takes ${formatMs(results['dirty-only'].p50)} here against ${formatMs(plain['dirty-only'].p50)} with 2 plain tables.`,
    ],
    extra: { dirtyTables: WRITES.hypertable.tables, dirtyOnlyVsTruncateAll: dirtyVsAll },
  });
}

export async function betweenTestsScenario({ template, sizes, log }) {
  const database = await template.clone();
  try {
    const results = {};
    for (const [kind, writes] of Object.entries(WRITES)) {
      log(`2 dirty tables: ${writes.tables}`);
      results[kind] = await compare(approachesFor(database, writes), sizes.betweenTests);
    }
    return [plainSection(results.plain), hypertableSection(results.hypertable, results.plain)];
  } finally {
    await database.drop();
  }
}
