// Isolation benchmark: what it costs to hand a test a clean, migrated database.
// Side by side in one run, medians over ROUNDS:
//   kit clone (made ahead)   vs  CREATE DATABASE ... TEMPLATE on demand (pgtestdb)
//                            vs  testcontainers' restoreSnapshot()
//   per-test transaction     vs  truncate all  vs  truncate dirty only
// Run after `npm run build`:  node bench/isolation.mjs   (ROUNDS=30 by default)
import { join } from 'node:path';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { createTemplate, startTimescale, truncateAll } from '../dist/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const migrations = join(import.meta.dirname, '..', 'fixtures', 'migrations');
const image = process.env.TIMESCALE_TESTKIT_IMAGE ?? 'timescale/timescaledb:2.19.3-pg17';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
async function measure(label, fn, { before, after } = {}) {
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const state = before ? await before(i) : undefined;
    const t0 = performance.now();
    const out = await fn(state, i);
    samples.push(performance.now() - t0);
    if (after) await after(out, state);
  }
  return { label, median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SEED = `
  INSERT INTO trading_sessions (id, mode, symbol, initial_capital) VALUES (gen_random_uuid(), 'PAPER', 'BTCUSDT', 1000);
  INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'BTCUSDT', 'BUY', 0.5);`;

const server = await startTimescale();
const template = await createTemplate(server, { migrations, prepared: 1, runId: 'bench' });
const admin = server.pool({ max: 2 });
const results = [];

// kit: a clone is already prepared in the background while the "test" runs
results.push(
  await measure('kit: template.clone() (made ahead)', async () => template.clone(), {
    after: async (db) => {
      await db.drop();
      await sleep(120); // the time a short test takes: the next clone gets made meanwhile
    },
  }),
);
let n = 0;
results.push(
  await measure(
    'pgtestdb-style: CREATE DATABASE ... TEMPLATE on demand',
    async () => {
      const name = `bench_sync_${n++}`;
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template.name)}`);
      return name;
    },
    { after: (name) => admin.query(`DROP DATABASE ${pg.escapeIdentifier(name)} WITH (FORCE)`) },
  ),
);

// testcontainers' snapshot: one database per container, restored in place
const snap = await new PostgreSqlContainer(image).start();
const snapPool = new pg.Pool({ connectionString: snap.getConnectionUri(), max: 1 });
await snapPool.query('CREATE EXTENSION IF NOT EXISTS timescaledb; CREATE EXTENSION IF NOT EXISTS vector;');
for (const file of ['002_trading.sql', '003_agents.sql', '004_timeseries.sql']) {
  const { readFile } = await import('node:fs/promises');
  await snapPool.query(await readFile(join(migrations, file), 'utf8'));
}
await snapPool.end();
await snap.snapshot();
results.push(await measure('testcontainers: restoreSnapshot()', () => snap.restoreSnapshot()));
await snap.stop();

// per-test cleanup on one clone
const db = await template.clone();
results.push(
  await measure('kit: per-test transaction (BEGIN ... ROLLBACK)', async () => {
    const tx = await db.begin();
    await tx.pool.query(
      "INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'X', 'BUY', 0.5)",
    );
    await tx.rollback();
  }),
);
results.push(await measure('truncate all tables', () => truncateAll(db.pool), { before: () => db.exec(SEED) }));
results.push(
  await measure('kit: truncate dirty tables only', () => truncateAll(db.pool, { onlyDirty: true }), {
    before: () => db.exec(SEED),
  }),
);
await db.drop();
await template.close();
await server.stop();

console.log(`\nisolation benchmark, ${ROUNDS} rounds, milliseconds\n`);
console.log('| approach | median | min | max |\n| --- | ---: | ---: | ---: |');
for (const r of results)
  console.log(`| ${r.label} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.max.toFixed(2)} |`);
