import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { scratchDatabase } from '../support/server.js';
import { existing, FIXTURES, folder } from './support.js';

async function run(argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

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
    const first = await run(['migrate', '--dir', dir, '--url', db.url, '--format', 'dbmate']);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/^migrations .*migrations-dbmate \(dbmate, hash [0-9a-f]{12}\)$/m);
    expect(first.output).toMatch(/^applied 20240101000000 extensions \([\d.]+ ms\)$/m);
    expect(first.output).toContain('  note: ran without a transaction (-- migrate:up transaction:false)');
    expect(first.output).toMatch(/^done: 3 applied, 0 skipped in [\d.]+ ms$/m);
    expect(await existing(db.url, ['ticks', 'embeddings_symbol_idx'])).toEqual(['ticks', 'embeddings_symbol_idx']);

    vi.stubEnv('TIMESCALE_TESTKIT_URL', db.url);
    const second = await run(['migrate', '--dir', dir]);
    expect(second.code).toBe(0);
    expect(second.output).toContain('skipped 3 already applied: 20240101000000, 20240102000000, 20240103000000');
    expect(second.output).toMatch(/^nothing to apply \([\d.]+ ms\)$/m);
  });

  it('exits non-zero with the error details on a failing migration', async () => {
    const dir = await folder({ '1_bad.sql': 'CREATE TABLE cli_ok (id int);\nSELEC 1;\n' });
    const { code, output } = await run([
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
    expect(output).toContain('MigrationError [MIGRATION_FAILED]');
    expect(output).toContain(`${join(dir, '1_bad.sql')}:2:1`);
    expect(output).toContain('syntax error at or near "SELEC" (SQLSTATE 42601)');
    expect(output).toContain('> 2 | SELEC 1;');
  });

  it('exits non-zero without a database URL, or when the server cannot be reached', async () => {
    vi.stubEnv('TIMESCALE_TESTKIT_URL', '');
    vi.stubEnv('DATABASE_URL', '');
    const missing = await run(['migrate', '--dir', join(FIXTURES, 'migrations-plain')]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('pass --url');
    const unreachable = await run([
      'migrate',
      '--dir',
      join(FIXTURES, 'migrations-plain'),
      '--url',
      'postgres://x:y@127.0.0.1:1/none',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toMatch(/^migrate failed: /);
  });
});
