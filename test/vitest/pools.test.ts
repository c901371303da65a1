import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

/** Runs the parallel-*.test.ts files in a child vitest with the given flags, on the suite's server. */
async function childRun(runId: string, ...flags: string[]): Promise<string> {
  const env = childVitestEnv(serverUrl(), runId);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const { stdout } = await run(process.execPath, [vitest, 'run', 'test/vitest/parallel-', '--reporter=dot', ...flags], {
    cwd: root,
    env,
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  return stdout.replace(/\u001b\[[0-9;]*m/g, '');
}

async function leftovers(runId: string): Promise<unknown[]> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    return (await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`tk\\_${runId}\\_%`])).rows;
  } finally {
    await admin.end();
  }
}

describe('vitest pools and shards', () => {
  it("works with pool 'threads' (several workers in one process)", async () => {
    const out = await childRun('threadsrun', '--pool=threads', '--maxWorkers=2');
    expect(out).toMatch(/Test Files\s+4 passed \(4\)/);
    expect(await leftovers('threadsrun')).toEqual([]);
  });

  it('works with --shard: each shard runs its part', async () => {
    const [first, second] = await Promise.all([
      childRun('shardone', '--shard=1/2'),
      childRun('shardtwo', '--shard=2/2'),
    ]);
    expect(first).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(second).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(await leftovers('shardone')).toEqual([]);
  });
});
