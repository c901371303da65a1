import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrationFormat, migrate } from '../../src/index.js';
import { REFERENCE_TABLES, scratchDatabase } from '../support/server.js';
import { existing, FIXTURES, ledgerVersions, REFERENCE, withClient } from './support.js';

interface Case {
  format: MigrationFormat;
  versions: string[];
  extra?: string[];
}

const CASES: Case[] = [
  { format: 'plain', versions: ['1_extensions', '2_instruments', '10_ticks'] },
  { format: 'golang-migrate', versions: ['1', '2'] },
  {
    format: 'dbmate',
    versions: ['20240101000000', '20240102000000', '20240103000000'],
    extra: ['embeddings_symbol_idx'],
  },
  { format: 'goose', versions: ['1', '2', '3'], extra: ['embeddings_symbol_idx'] },
  { format: 'flyway', versions: ['1', '1.1', '2', '10', 'R__latest_ticks'], extra: ['latest_ticks'] },
  { format: 'prisma', versions: ['20240101000000', '20240102000000'] },
  { format: 'drizzle', versions: ['0000', '0001'] },
];

describe.each(CASES)('$format folder', ({ format, versions, extra = [] }) => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    db = await scratchDatabase(`mig_${format.replace('-', '_')}`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is detected, applies the schema with a hypertable and a vector column, then applies nothing', async () => {
    const dir = join(FIXTURES, `migrations-${format}`);
    const first = await migrate(db.url, { dir });
    expect(first.format).toBe(format);
    expect(first.applied.map((m) => m.version)).toEqual(versions);
    expect(first.skipped).toEqual([]);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);

    const tables = ['instruments', 'ticks', 'embeddings', ...extra];
    expect(await existing(db.url, tables)).toEqual(tables);
    await withClient(db.url, async (client) => {
      const hypertables = await client.query(
        "SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'ticks'",
      );
      expect(hypertables.rowCount).toBe(1);
      const vector = await client.query<{ type: string }>(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'embeddings'::regclass AND attname = 'embedding'",
      );
      expect(vector.rows[0]?.type).toBe('vector(3)');
    });
    expect([...(await ledgerVersions(db.url))].sort()).toEqual([...versions].sort());

    const second = await migrate(db.url, { dir, format });
    expect(second.applied).toEqual([]);
    expect(second.skipped).toEqual(versions);
    expect(second.hash).toBe(first.hash);
  });
});

describe('reference schema (fixtures/migrations)', () => {
  it('applies through the runner', async () => {
    const db = await scratchDatabase('mig_reference');
    try {
      const report = await migrate(db.url, { dir: REFERENCE });
      expect(report.format).toBe('plain');
      expect(report.applied.map((m) => m.name)).toEqual([
        '001_extensions',
        '002_trading',
        '003_agents',
        '004_timeseries',
      ]);
      const tables = [...REFERENCE_TABLES];
      expect(await existing(db.url, tables)).toEqual(tables);
    } finally {
      await db.drop();
    }
  });
});
