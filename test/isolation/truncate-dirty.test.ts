import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { truncateAll } from '../../src/index.js';
import { referenceClone } from '../support/clone.js';
import { recordingPool } from '../support/recording.js';
import { serverUrl } from '../support/server.js';

const SIGNAL = "INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'X', 'BUY', 0.5)";
const CANDLE = `INSERT INTO candlesticks (time, symbol, interval, open, high, low, close, volume)
                VALUES ('2026-01-01T00:00:00Z', 'BTCUSDT', '1h', 10, 12, 9, 11, 5)`;

describe('truncateAll({ onlyDirty: true }): which tables count as dirty, and the session function', () => {
  const reference = referenceClone('trunc-dirty');
  const { count } = reference;

  it('counts a table whose rows were deleted as dirty (its pages remain), then clean once truncated', async () => {
    await reference.db.truncate();
    await reference.db.query("INSERT INTO agent_status (name, type, status) VALUES ('x', 't', 'RUNNING')");
    await reference.db.query('DELETE FROM agent_status');
    expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual(['public.agent_status']);
    expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual([]);
  });

  it('counts a hypertable as dirty while it has a chunk, and its truncation drops the chunks', async () => {
    await reference.db.truncate();
    await reference.db.query(CANDLE);
    expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual(['public.candlesticks']);
    expect(await count('candlesticks')).toBe(0);
    const chunks = await reference.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM show_chunks('candlesticks')",
    );
    expect(chunks.rows[0]?.n).toBe(0);
    expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual([]);
  });

  it('counts a partitioned table as dirty when one of its partitions holds rows', async () => {
    await reference.db.truncate();
    await reference.db.exec(`
      CREATE TABLE fills (id int, at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE fills_2026 PARTITION OF fills FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE fills_2027 PARTITION OF fills FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');`);
    try {
      expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual([]);
      await reference.db.query("INSERT INTO fills VALUES (1, '2027-03-01')");
      expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual(['public.fills']);
      expect(await count('fills')).toBe(0);
    } finally {
      await reference.db.exec('DROP TABLE fills');
    }
  });

  it('probes an inheritance child on its own: the child holding rows is truncated, its empty parent is not', async () => {
    await reference.db.truncate();
    await reference.db.exec(`
      CREATE TABLE "audit log" (id int, note text);
      CREATE TABLE "audit log 2026" () INHERITS ("audit log");`);
    try {
      expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual([]);
      await reference.db.query(`INSERT INTO "audit log 2026" VALUES (1, 'tab\there')`);
      const { truncated } = await reference.db.truncate({ onlyDirty: true });
      expect(truncated).toEqual(['public.audit log 2026']);
      expect(await count('"audit log"')).toBe(0);
      await reference.db.query(`INSERT INTO "audit log" VALUES (2, 'parent')`);
      expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual(['public.audit log']);
      expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual([]);
    } finally {
      await reference.db.exec('DROP TABLE "audit log" CASCADE');
    }
  });
  it('creates its function in the session once, then each truncation is one SELECT; the schemas stay untouched', async () => {
    await reference.db.truncate();
    const { pool, texts } = recordingPool(reference.db.connectionString);
    try {
      await truncateAll(pool, { onlyDirty: true });
      expect(texts.filter((text) => text.includes('CREATE OR REPLACE FUNCTION pg_temp.'))).toHaveLength(1);
      for (let round = 0; round < 3; round++) {
        await pool.query(SIGNAL);
        texts.length = 0;
        expect((await truncateAll(pool, { onlyDirty: true })).truncated).toEqual(['public.agent_signals']);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(/^SELECT pg_temp\.timescale_testkit_truncate_[0-9a-f]+\(\)/);
      }
      const own = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE p.proname LIKE 'timescale\\_testkit%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`,
      );
      expect(own.rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('recreates the function when the session lost it (DISCARD ALL) and inside a transaction that rolls back', async () => {
    await reference.db.truncate();
    const client = new pg.Client({ connectionString: reference.db.connectionString });
    await client.connect();
    try {
      await client.query(SIGNAL);
      expect((await truncateAll(client, { onlyDirty: true })).truncated).toEqual(['public.agent_signals']);
      await client.query('DISCARD ALL');
      await client.query(SIGNAL);
      expect((await truncateAll(client, { onlyDirty: true })).truncated).toEqual(['public.agent_signals']);
      expect(await count('agent_signals')).toBe(0);

      // created inside a transaction, taken back by its rollback: the next call creates it again
      await client.query('DISCARD ALL');
      await client.query(SIGNAL);
      await client.query('BEGIN');
      expect((await truncateAll(client, { onlyDirty: true })).truncated).toEqual(['public.agent_signals']);
      await client.query('ROLLBACK');
      expect(await count('agent_signals')).toBe(1);
      expect((await truncateAll(client, { onlyDirty: true })).truncated).toEqual(['public.agent_signals']);
      expect(await count('agent_signals')).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('falls back to a DO block for a role that may not create temporary objects', async () => {
    const role = `tk_notemp_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const database = await reference.template.clone();
    const url = new URL(database.connectionString);
    const admin = new pg.Client({ connectionString: database.connectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
      await admin.query(`REVOKE TEMPORARY ON DATABASE ${pg.escapeIdentifier(database.name)} FROM PUBLIC`);
      await admin.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${pg.escapeIdentifier(role)}`);
      await admin.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${pg.escapeIdentifier(role)}`);
      url.username = role;
      url.password = password;
      const { pool, texts } = recordingPool(url.toString());
      try {
        for (let round = 0; round < 2; round++) {
          await pool.query(SIGNAL);
          const result = await truncateAll(pool, { onlyDirty: true, restartIdentity: false });
          expect(result.truncated).toEqual(['public.agent_signals']);
          expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_signals')).rows[0]?.n).toBe(0);
        }
        // the function was tried once; afterwards the DO block is used directly
        expect(texts.filter((text) => text.includes('FUNCTION pg_temp.'))).toHaveLength(1);
        expect(texts.filter((text) => text.startsWith('DO '))).toHaveLength(2);
      } finally {
        await pool.end();
      }
    } finally {
      await admin.query(`DROP OWNED BY ${pg.escapeIdentifier(role)}`).catch(() => undefined);
      await admin.end();
      await database.drop();
      const server = new pg.Client({ connectionString: serverUrl() });
      await server.connect();
      await server.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`).finally(() => server.end());
    }
  });
});
