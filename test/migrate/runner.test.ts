import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationLockError, migrate } from '../../src/index.js';
import { lockKey } from '../../src/migrate/lock.js';
import { scratchDatabase } from '../support/server.js';
import { existing, FIXTURES, folder, ledgerVersions, withClient } from './support.js';

const drops: (() => Promise<void>)[] = [];
async function database(): Promise<string> {
  const db = await scratchDatabase('mig_run');
  drops.push(db.drop);
  return db.url;
}
afterEach(async () => {
  await Promise.all(drops.splice(0).map((drop) => drop()));
});

describe('concurrent runners', () => {
  it('apply every migration exactly once across 8 concurrent migrate() calls', async () => {
    const url = await database();
    const dir = await folder({
      '1_counter.sql':
        'CREATE TABLE runs (migration int NOT NULL);\nINSERT INTO runs VALUES (1);\nSELECT pg_sleep(0.05);\n',
      '2_more.sql': 'INSERT INTO runs VALUES (2);\nCREATE TABLE second (id int);\n',
      '3_last.sql': 'INSERT INTO runs VALUES (3);\nSELECT pg_sleep(0.05);\n',
    });
    const reports = await Promise.all(Array.from({ length: 8 }, () => migrate(url, { dir })));
    const applied = reports.flatMap((report) => report.applied.map((m) => m.version)).sort();
    expect(applied).toEqual(['1_counter', '2_more', '3_last']);
    for (const report of reports) {
      expect([...report.applied.map((m) => m.version), ...report.skipped].sort()).toEqual(applied);
      expect(report.hash).toBe(reports[0]?.hash);
    }
    const { rows } = await withClient(url, (c) => c.query('SELECT migration FROM runs ORDER BY migration'));
    expect(rows.map((row) => row.migration)).toEqual([1, 2, 3]);
    expect(await ledgerVersions(url)).toEqual(['1_counter', '2_more', '3_last']);
  });

  it('gives up with MigrationLockError after lockTimeoutMs when another session holds the lock', async () => {
    const url = await database();
    const dir = await folder({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
    await withClient(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [lockKey('public.timescale_testkit_migrations')]);
      const error = await migrate(url, { dir, lockTimeoutMs: 150 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationLockError);
      expect((error as MigrationLockError).timeoutMs).toBe(150);
      const other = await migrate(url, { dir, table: 'other_ledger', lockTimeoutMs: 150 });
      expect(other.applied).toHaveLength(1);
    });
  });
});

describe('targets and ledger placement', () => {
  it('accepts a Pool, a Client and a PoolClient and leaves them open', async () => {
    const url = await database();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const dir = await folder({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
      expect((await migrate(pool, { dir })).applied).toHaveLength(1);
      const leased = await pool.connect();
      try {
        expect((await migrate(leased, { dir })).skipped).toEqual(['1_a']);
        expect((await leased.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      } finally {
        leased.release();
      }
      await withClient(url, async (client) => {
        expect((await migrate(client, { dir })).skipped).toEqual(['1_a']);
        const { rows } = await client.query("SELECT current_setting('lock_timeout') AS lock_timeout");
        expect(rows[0].lock_timeout).toBe('0');
      });
      expect(pool.totalCount).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });

  it('keeps the ledger in the given schema and table', async () => {
    const url = await database();
    const dir = await folder({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
    await migrate(url, { dir, schema: 'Ledger Schema', table: 'applied "migrations"' });
    expect(await ledgerVersions(url, '"Ledger Schema"."applied ""migrations"""')).toEqual(['1_a']);
    expect(await existing(url, ['public.timescale_testkit_migrations'])).toEqual([]);
  });
});

describe('TimescaleDB background workers', () => {
  it('hold no connection to the database once it is migrated', async () => {
    const url = await database();
    const name = new URL(url).pathname.slice(1);
    await migrate(url, { dir: join(FIXTURES, 'migrations-plain') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows } = await withClient(url, (c) =>
      c.query("SELECT backend_type FROM pg_stat_activity WHERE datname = $1 AND backend_type <> 'client backend'", [
        name,
      ]),
    );
    expect(rows).toEqual([]);
  });
});
