import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MigrationChecksumError,
  MigrationError,
  MigrationLicenseError,
  MigrationOrderError,
  migrate,
} from '../../src/index.js';
import { scratchDatabase } from '../support/server.js';
import { existing, folder, ledgerVersions, withClient, writeFiles } from './support.js';

const drops: (() => Promise<void>)[] = [];
async function database(): Promise<string> {
  const db = await scratchDatabase('mig_err');
  drops.push(db.drop);
  return db.url;
}
afterEach(async () => {
  await Promise.all(drops.splice(0).map((drop) => drop()));
});

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.unreachable('migrate should have failed'),
    (error: unknown) => error,
  );
}

const BROKEN = [
  '-- 002: the second statement has a syntax error on line 7',
  'CREATE TABLE broken_first (id int);',
  '',
  "CREATE TABLE broken_second ( -- 'é€😀' before the error: positions count characters",
  '    id    int PRIMARY KEY,',
  '    name  text NOT NULL,',
  '    price numeric(24, 8) NOT NULL DEFALT 0',
  ');',
  '',
].join('\n');

describe('a failing migration', () => {
  it('throws MigrationError with file, line, column, excerpt and Postgres code; leaves nothing of that file', async () => {
    const url = await database();
    const dir = await folder({
      '001_ok.sql': 'CREATE TABLE ok_table (id int);\n',
      '002_broken.sql': BROKEN,
      '003_later.sql': 'CREATE TABLE later_table (id int);\n',
    });
    const error = await failure(migrate(url, { dir }));
    expect(error).toBeInstanceOf(MigrationError);
    const e = error as MigrationError;
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.file).toBe(join(dir, '002_broken.sql'));
    expect(e.version).toBe('002_broken');
    expect(e.line).toBe(7);
    expect(e.column).toBe('    price numeric(24, 8) NOT NULL DEFALT 0'.indexOf('DEFALT') + 1);
    expect(e.pgCode).toBe('42601');
    expect(e.pgMessage).toContain('DEFALT');
    expect(e.statement.startsWith('CREATE TABLE broken_second')).toBe(true);
    expect(e.excerpt).toContain('> 7 |     price numeric(24, 8) NOT NULL DEFALT 0');
    expect(e.excerpt.split('\n')[3]).toBe(`    | ${' '.repeat(e.column - 1)}^`);
    expect(e.message).toContain(`${e.file}:7:${e.column}`);

    expect(await existing(url, ['ok_table', 'broken_first', 'broken_second', 'later_table'])).toEqual(['ok_table']);
    expect(await ledgerVersions(url)).toEqual(['001_ok']);
  });

  it('places an error without a position at its statement', async () => {
    const url = await database();
    const dir = await folder({ '1_div.sql': 'CREATE TABLE t (id int);\n\n  SELECT 1 / 0;\n' });
    const e = (await failure(migrate(url, { dir }))) as MigrationError;
    expect([e.line, e.column, e.pgCode]).toEqual([3, 3, '22012']);
    expect(await existing(url, ['t'])).toEqual([]);
  });

  it('advises the no-transaction directive when Postgres refuses a statement inside a transaction block', async () => {
    const url = await database();
    const index = 'CREATE INDEX CONCURRENTLY items_id_idx ON items (id);\n';
    const dir = await folder({ '1_items.sql': 'CREATE TABLE items (id int);\n', '2_index.sql': index });
    const e = (await failure(migrate(url, { dir }))) as MigrationError;
    expect(e.pgCode).toBe('25001');
    expect(e.message).toContain('-- timescale-testkit:no-transaction');
    expect(e.message).not.toContain('stayed applied');
    expect(await ledgerVersions(url)).toEqual(['1_items']);

    await writeFile(join(dir, '2_index.sql'), `-- timescale-testkit:no-transaction\n${index}`);
    const report = await migrate(url, { dir });
    expect(report.applied).toEqual([
      expect.objectContaining({
        version: '2_index',
        notes: ['ran without a transaction (-- timescale-testkit:no-transaction)'],
      }),
    ]);
    expect(await existing(url, ['items_id_idx'])).toEqual(['items_id_idx']);
  });

  it('runs a file that manages its own transaction without wrapping it', async () => {
    const url = await database();
    const dir = await folder({ '1_own.sql': 'BEGIN;\nCREATE TABLE own_tx (id int);\nCOMMIT;\n' });
    const report = await migrate(url, { dir });
    expect(report.applied[0]?.notes).toEqual(['ran without a wrapping transaction: line 1 runs BEGIN itself']);
    expect(await existing(url, ['own_tx'])).toEqual(['own_tx']);
    expect(await ledgerVersions(url)).toEqual(['1_own']);
  });

  it('names the Apache edition and the image to use when TimescaleDB refuses a community feature', async () => {
    const url = await database();
    const license = await withClient(url, async (client) => {
      await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
      const { rows } = await client.query<{ license: string }>(
        "SELECT current_setting('timescaledb.license') AS license",
      );
      return rows[0]?.license;
    });
    const dir = await folder({
      '1_ticks.sql': [
        'CREATE EXTENSION IF NOT EXISTS timescaledb;',
        'CREATE TABLE ticks (time timestamptz NOT NULL, price numeric NOT NULL);',
        "SELECT create_hypertable('ticks', 'time');",
        '',
      ].join('\n'),
      '2_compress.sql': "ALTER TABLE ticks SET (timescaledb.compress, timescaledb.compress_orderby = 'time');\n",
    });
    if (license !== 'apache') {
      expect((await migrate(url, { dir })).applied).toHaveLength(2);
      return;
    }
    const e = (await failure(migrate(url, { dir }))) as MigrationLicenseError;
    expect(e).toBeInstanceOf(MigrationLicenseError);
    expect(e).toBeInstanceOf(MigrationError);
    expect(e.code).toBe('MIGRATION_APACHE_LICENSE');
    expect(e.message).toContain('Apache edition');
    expect(e.message).toContain('timescale/timescaledb:');
    expect(e.message).toContain('TIMESCALE_TESTKIT_IMAGE');
    expect([e.file, e.line]).toEqual([join(dir, '2_compress.sql'), 1]);
    expect(await ledgerVersions(url)).toEqual(['1_ticks']);
  });
});

describe('continuous aggregates', () => {
  it('run outside a transaction when created WITH DATA (or are refused with the license error on the Apache edition)', async () => {
    const url = await database();
    const cagg = [
      'CREATE EXTENSION IF NOT EXISTS timescaledb;',
      'CREATE TABLE ticks (time timestamptz NOT NULL, price numeric NOT NULL);',
      "SELECT create_hypertable('ticks', 'time');",
      'CREATE MATERIALIZED VIEW ticks_hourly WITH (timescaledb.continuous) AS',
      "  SELECT time_bucket('1 hour', time) AS bucket, avg(price) AS price FROM ticks GROUP BY 1;",
      '',
    ].join('\n');
    const dir = await folder({ '1_cagg.sql': cagg });
    const outcome = await migrate(url, { dir }).catch((error: unknown) => error);
    if (outcome instanceof MigrationLicenseError) {
      // Refused for its license, not for "cannot run inside a transaction block": it ran outside one.
      expect([outcome.line, outcome.pgCode]).toEqual([4, '0A000']);
      expect(outcome.message).toContain('the statements at lines 1, 2, 3 stayed applied');
      expect(await existing(url, ['ticks'])).toEqual(['ticks']);
      expect(await ledgerVersions(url)).toEqual([]);
      return;
    }
    expect(outcome).toMatchObject({
      applied: [
        {
          version: '1_cagg',
          notes: [expect.stringMatching(/^ran without a transaction: line 4: CREATE MATERIALIZED VIEW/)],
        },
      ],
    });
  });
});

describe('the ledger', () => {
  it('refuses an applied file whose content changed', async () => {
    const url = await database();
    const dir = await folder({ '1_a.sql': 'CREATE TABLE a (id int);\n', '2_b.sql': 'CREATE TABLE b (id int);\n' });
    await migrate(url, { dir });
    await writeFiles(dir, { '1_a.sql': 'CREATE TABLE a (id bigint);\n', '3_c.sql': 'CREATE TABLE c (id int);\n' });
    const e = (await failure(migrate(url, { dir }))) as MigrationChecksumError;
    expect(e).toBeInstanceOf(MigrationChecksumError);
    expect(e.file).toBe(join(dir, '1_a.sql'));
    expect(e.message).toContain('1_a.sql');
    expect(await existing(url, ['c'])).toEqual([]);
  });

  it('refuses a new file ordered before the last applied one unless allowOutOfOrder', async () => {
    const url = await database();
    const dir = await folder({ '1_a.sql': 'CREATE TABLE a (id int);\n', '3_c.sql': 'CREATE TABLE c (id int);\n' });
    await migrate(url, { dir });
    await writeFiles(dir, { '2_b.sql': 'CREATE TABLE b (id int);\n' });
    const e = (await failure(migrate(url, { dir }))) as MigrationOrderError;
    expect(e).toBeInstanceOf(MigrationOrderError);
    expect([e.file, e.version, e.lastApplied]).toEqual([join(dir, '2_b.sql'), '2_b', '3_c']);
    expect(await existing(url, ['b'])).toEqual([]);

    const report = await migrate(url, { dir, allowOutOfOrder: true });
    expect(report.applied.map((m) => m.version)).toEqual(['2_b']);
    expect(report.skipped).toEqual(['1_a', '3_c']);
  });

  it('re-applies a changed flyway repeatable migration after the versioned ones', async () => {
    const url = await database();
    const dir = await folder({
      'V1__t.sql': 'CREATE TABLE t (id int);\n',
      'R__v.sql': 'CREATE OR REPLACE VIEW v AS SELECT id FROM t;\n',
    });
    expect((await migrate(url, { dir })).applied.map((m) => m.version)).toEqual(['1', 'R__v']);
    expect((await migrate(url, { dir })).skipped).toEqual(['1', 'R__v']);
    await writeFiles(dir, { 'R__v.sql': 'CREATE OR REPLACE VIEW v AS SELECT id, id + 1 AS next FROM t;\n' });
    expect((await migrate(url, { dir })).applied.map((m) => m.version)).toEqual(['R__v']);
    const columns = await withClient(url, (c) =>
      c.query("SELECT 1 FROM pg_attribute WHERE attrelid = 'v'::regclass AND attname = 'next'"),
    );
    expect(columns.rowCount).toBe(1);
  });
});
