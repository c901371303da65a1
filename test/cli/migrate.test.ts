import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existing, FIXTURES, folder } from '../migrate/support.js';
import { scratchDatabase } from '../support/server.js';
import { cli, tempProject } from './support.js';

describe('timescale-testkit migrate', () => {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    db = await scratchDatabase('mig_cli');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await db?.drop();
  });

  it('applies a folder, prints the report, and reports nothing to do on a second run', async () => {
    const dir = join(FIXTURES, 'migrations-dbmate');
    const first = await cli(['migrate', '--dir', dir, '--url', db.url, '--format', 'dbmate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^migrations .*migrations-dbmate \(dbmate, hash [0-9a-f]{12}\)$/m);
    expect(first.out).toMatch(/^applied 20240101000000 extensions \([\d.]+ ms\)$/m);
    expect(first.out).toContain('  note: ran without a transaction (-- migrate:up transaction:false)');
    expect(first.out).toMatch(/^done: 3 applied, 0 skipped in [\d.]+ ms$/m);
    expect(first.err).toMatch(
      /^✓ applied 3 migration\(s\) \(dbmate, hash [0-9a-f]{12}; 0 applied before\) \([\d.]+ m?s\)$/m,
    );
    expect(await existing(db.url, ['ticks', 'embeddings_symbol_idx'])).toEqual(['ticks', 'embeddings_symbol_idx']);

    vi.stubEnv('TIMESCALE_TESTKIT_URL', db.url);
    const second = await cli(['migrate', '--dir', dir, '--lock-timeout-ms', '5000']);
    expect(second.code).toBe(0);
    expect(second.out).toContain('skipped 3 already applied: 20240101000000, 20240102000000, 20240103000000');
    expect(second.out).toMatch(/^nothing to apply \([\d.]+ ms\)$/m);
    expect(second.err).toMatch(/^✓ migrations up to date \(3 applied before; dbmate/m);
    vi.unstubAllEnvs();
  });

  it('takes the folder and format from the project config when --dir is not given', async () => {
    const target = await scratchDatabase('mig_cli_cfg');
    try {
      await using project = await tempProject({ migrations: join(FIXTURES, 'migrations-goose'), format: 'goose' });
      const { code, out } = await cli(['migrate', '--url', target.url], { cwd: project.dir });
      expect(code).toBe(0);
      expect(out).toMatch(/^migrations .*migrations-goose \(goose, hash/m);
    } finally {
      await target.drop();
    }
  });

  it('names the file and line of a failing migration, with a fix line and the excerpt', async () => {
    const dir = await folder({ '1_bad.sql': 'CREATE TABLE cli_ok (id int);\nSELEC 1;\n' });
    const { code, out, err } = await cli([
      'migrate',
      '--dir',
      dir,
      '--url',
      db.url,
      '--table',
      'cli_ledger',
      '--schema',
      'cli',
      '--allow-out-of-order',
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.split('\n');
    expect(lines[0]).toBe(
      `error: migration ${join(dir, '1_bad.sql')}:2:1 failed: syntax error at or near "SELEC" (SQLSTATE 42601)`,
    );
    expect(lines[1]).toMatch(/^fix: correct the statement at .*1_bad\.sql:2:1 and run again/);
    expect(err).toContain('> 2 | SELEC 1;');
  });

  it('is a usage error (2) without a database URL, with an unknown format or a missing folder', async () => {
    vi.stubEnv('TIMESCALE_TESTKIT_URL', '');
    vi.stubEnv('DATABASE_URL', '');
    const missing = await cli(['migrate', '--dir', join(FIXTURES, 'migrations-plain')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error: migrate needs a database: pass --url');
    expect(missing.err).toContain('fix: see `timescale-testkit migrate --help`');
    const format = await cli(['migrate', '--url', db.url, '--format', 'liquibase']);
    expect(format.code).toBe(2);
    expect(format.err).toContain('--format must be auto or one of plain, golang-migrate');
    const folderMissing = await cli(['migrate', '--url', db.url, '--dir', '/nonexistent/migrations']);
    expect(folderMissing.code).toBe(2);
    expect(folderMissing.err).toContain('error: migrations folder /nonexistent/migrations does not exist');
    const notUrl = await cli(['migrate', '--url', 'not a url']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.err).toContain('is not a URL');
    vi.unstubAllEnvs();
  });

  it('fails (1) with a fix line when the configured folder is missing or the server cannot be reached', async () => {
    await using project = await tempProject({ migrations: './db/migrations' });
    const noFolder = await cli(['migrate', '--url', db.url], { cwd: project.dir });
    expect(noFolder.code).toBe(1);
    expect(noFolder.err).toContain('fix: pass --dir DIR, or set `migrations` in timescale-testkit.config.ts');
    const unreachable = await cli([
      'migrate',
      '--dir',
      join(FIXTURES, 'migrations-plain'),
      '--url',
      'postgres://x:y@127.0.0.1:1/none',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err.split('\n')).toEqual([
      'error: cannot reach the database server at 127.0.0.1:1 (ECONNREFUSED)',
      'fix: check the URL (--url, TIMESCALE_TESTKIT_URL or DATABASE_URL) and that the server is running; `timescale-testkit up` starts one',
    ]);
  });

  it('takes one file per migration folder with --files, and says so in the fix line when it is missing', async () => {
    const dir = await folder({
      '20240101_init/postgres.sql': 'CREATE TABLE cli_engine (id int);\n',
      '20240101_init/sqlite3.sql': 'CREATE TABLE cli_engine (id INTEGER);\n',
    });
    const refused = await cli(['migrate', '--dir', dir, '--url', db.url]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      "fix: the migrations are one folder each with a file per engine: pass files: '*/postgres.sql'",
    );
    expect(refused.err).toContain('  saw: 20240101_init/');
    const applied = await cli(['migrate', '--dir', dir, '--url', db.url, '--files', '*/postgres.sql']);
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/^applied 20240101_init \([\d.]+ ms\)$/m);
    expect(await existing(db.url, ['cli_engine'])).toEqual(['cli_engine']);
  });
});
