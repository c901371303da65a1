import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError, MigrationExtensionError, MigrationLicenseError, migrate } from '../../src/index.js';
import { scratchDatabase, serverUrl, urlFor } from '../support/server.js';
import { existing, folder, ledgerVersions, withClient } from './support.js';

const drops: (() => Promise<void>)[] = [];
async function database(): Promise<string> {
  const db = await scratchDatabase('mig_adv');
  drops.push(db.drop);
  return db.url;
}
/**
 * A database made from template0, so no extension is in it whatever the image puts in template1
 * (the official timescale images create timescaledb there).
 */
async function bareDatabase(): Promise<string> {
  const name = `mig_bare_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl(), (admin) =>
    admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0`),
  );
  drops.push(() =>
    withClient(serverUrl(), async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    }),
  );
  return urlFor(name);
}
afterEach(async () => {
  await Promise.all(drops.splice(0).map((drop) => drop()));
});

async function failure(work: Promise<unknown>): Promise<MigrationError> {
  const error = await work.then(
    () => expect.unreachable('migrate should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

async function isApache(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    const { rows } = await client.query<{ license: string }>(
      "SELECT current_setting('timescaledb.license') AS license",
    );
    return rows[0]?.license === 'apache';
  });
}

describe('a migration that ran without a transaction and failed', () => {
  it('says so and names the lines of the statements that stayed applied; the rerun says why it fails', async () => {
    const url = await database();
    const content = [
      '-- timescale-testkit:no-transaction',
      'CREATE TABLE nt_first (id int);',
      'CREATE TABLE nt_second (id int);',
      '',
      'SELECT 1 / 0;',
      '',
    ].join('\n');
    const dir = await folder({ '1_nt.sql': content });
    const e = await failure(migrate(url, { dir }));
    expect(e.line).toBe(5);
    expect(e.leftApplied).toEqual([2, 3]);
    expect(e.message).toContain('ran without a transaction (-- timescale-testkit:no-transaction)');
    expect(e.message).toContain('the statements at lines 2, 3 stayed applied');
    expect(await existing(url, ['nt_first', 'nt_second'])).toEqual(['nt_first', 'nt_second']);
    expect(await ledgerVersions(url)).toEqual([]);

    const again = await failure(migrate(url, { dir }));
    expect([again.line, again.pgCode]).toEqual([2, '42P07']);
    expect(again.leftApplied).toEqual([]);
    expect(again.message).toContain('an earlier run that failed part-way may have left its first statements applied');
  });

  it('counts statements inside a migration-managed transaction that rolled back as not applied', async () => {
    const url = await database();
    const dir = await folder({
      '1_own.sql': 'CREATE TABLE own_kept (id int);\nBEGIN;\nCREATE TABLE own_lost (id int);\nSELECT 1 / 0;\nCOMMIT;\n',
    });
    const e = await failure(migrate(url, { dir }));
    expect(e.leftApplied).toEqual([1]);
    expect(e.message).toContain('the statement at line 1 stayed applied');
    expect(await existing(url, ['own_kept', 'own_lost'])).toEqual(['own_kept']);
  });

  it('in a transaction says nothing stayed applied', async () => {
    const url = await database();
    const dir = await folder({ '1_tx.sql': 'CREATE TABLE tx_a (id int);\nSELECT 1 / 0;\n' });
    const e = await failure(migrate(url, { dir }));
    expect(e.leftApplied).toEqual([]);
    expect(e.message).not.toContain('stayed applied');
  });
});

describe('the Apache edition', () => {
  const cases = [
    ["SELECT add_retention_policy('ticks', INTERVAL '7 days');", 'retention policies'],
    ["SELECT add_compression_policy('ticks', INTERVAL '7 days');", 'compression'],
    ['ALTER TABLE ticks SET (timescaledb.compress);', 'compression'],
    [
      "CREATE MATERIALIZED VIEW ticks_1h WITH (timescaledb.continuous) AS SELECT time_bucket('1 hour', time) AS b, avg(price) FROM ticks GROUP BY 1 WITH NO DATA;",
      'continuous aggregates',
    ],
    ["SELECT add_reorder_policy('ticks', 'ticks_time_idx');", 'reorder policies'],
    ['SELECT locf(1);', 'the TSL function locf()'],
  ] as const;

  it('names the refused feature', async () => {
    const url = await database();
    if (!(await isApache(url))) return;
    const setup =
      "CREATE TABLE ticks (time timestamptz NOT NULL, price numeric NOT NULL);\nSELECT create_hypertable('ticks', 'time');\n";
    for (const [statement, feature] of cases) {
      const dir = await folder({ '1_setup.sql': setup, '2_feature.sql': `${statement}\n` });
      const e = await failure(migrate(url, { dir, table: `ledger_${cases.findIndex((c) => c[0] === statement)}` }));
      expect(e).toBeInstanceOf(MigrationLicenseError);
      const license = e as MigrationLicenseError;
      expect(license.feature).toBe(feature);
      expect(license.message.split('\n')[0]).toContain(`uses ${feature}`);
      expect(license.message).not.toContain('(continuous aggregates, compression, ...)');
      await withClient(url, (c) => c.query('DROP TABLE IF EXISTS ticks CASCADE'));
    }
  });
});

describe('a missing extension', () => {
  const cases = [
    ["CREATE TABLE h (time timestamptz NOT NULL);\nSELECT create_hypertable('h', 'time');\n", 'timescaledb', 2],
    ["SELECT time_bucket('1 hour', now());\n", 'timescaledb', 1],
    ["SELECT add_retention_policy('h', INTERVAL '1 day');\n", 'timescaledb', 1],
    ['CREATE TABLE e (id int,\n  embedding vector(3));\n', 'vector', 2],
    ['CREATE TABLE e (id int, embedding float4[]);\nCREATE INDEX ON e USING hnsw (embedding);\n', 'vector', 2],
    [
      'CREATE TABLE m (time timestamptz NOT NULL, v float);\nCREATE MATERIALIZED VIEW m1 WITH (timescaledb.continuous) AS SELECT 1 WITH NO DATA;\n',
      'timescaledb',
      2,
    ],
  ] as const;

  it('says which extension is missing and how to create it', async () => {
    for (const [sql, extension, line] of cases) {
      const url = await bareDatabase();
      const dir = await folder({ '1_uses.sql': sql });
      const e = await failure(migrate(url, { dir }));
      expect(e).toBeInstanceOf(MigrationExtensionError);
      const missing = e as MigrationExtensionError;
      expect([missing.extension, missing.line, missing.code]).toEqual([extension, line, 'MIGRATION_EXTENSION_MISSING']);
      expect(missing.message).toContain(`CREATE EXTENSION IF NOT EXISTS ${extension};`);
      expect(missing.message).toContain(`extension "${extension}"`);
      expect(missing.message).toContain('available on this server');
    }
  });

  it('names the schema when the extension is installed off the search_path', async () => {
    const url = await bareDatabase();
    await withClient(url, (c) => c.query('CREATE SCHEMA ext; CREATE EXTENSION vector SCHEMA ext'));
    const dir = await folder({ '1_uses.sql': 'CREATE TABLE e (embedding vector(3));\n' });
    const e = (await failure(migrate(url, { dir }))) as MigrationExtensionError;
    expect(e).toBeInstanceOf(MigrationExtensionError);
    expect(e.message).toContain('installed in schema "ext"');
  });

  it('leaves other undefined functions alone', async () => {
    const url = await bareDatabase();
    const dir = await folder({ '1_uses.sql': 'SELECT no_such_function_here(1);\n' });
    const e = await failure(migrate(url, { dir }));
    expect(e).not.toBeInstanceOf(MigrationExtensionError);
    expect(e.code).toBe('MIGRATION_FAILED');
  });
});

describe('error positions on a server encoding other than UTF8', () => {
  const BEFORE = "CREATE TABLE enc (id int, note text DEFAULT 'éü£ñ');\n";
  for (const encoding of ['SQL_ASCII', 'LATIN1']) {
    it(`are right in a ${encoding} database`, async () => {
      const name = `mig_enc_${encoding.toLowerCase()}_${process.pid}`;
      const admin = new pg.Client({ connectionString: serverUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
      await admin.query(
        `CREATE DATABASE ${pg.escapeIdentifier(name)} ENCODING ${pg.escapeLiteral(encoding)} LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
      );
      drops.push(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
        await admin.end();
      });
      const line = "INSERT INTO enc (note) VALUES ('ñé£ü'), ('çà') RETURNNG id;";
      const dir = await folder({ '1_enc.sql': `${BEFORE}${line}\n` });
      const e = await failure(migrate(urlFor(name), { dir }));
      expect(e.pgCode).toBe('42601');
      expect([e.line, e.column]).toEqual([2, line.indexOf('RETURNNG') + 1]);
    });
  }
});
