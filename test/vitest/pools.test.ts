import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run, vitestBin } from '../support/build.js';
import { runDatabases, serverUrl } from '../support/server.js';

/** Runs the parallel-*.test.ts files in a child vitest with the given flags, on the suite's server. */
async function childRun(runId: string, ...flags: string[]): Promise<string> {
  const env = childVitestEnv(serverUrl(), runId);
  const { stdout } = await run(
    process.execPath,
    [vitestBin, 'run', 'test/vitest/parallel-', '--reporter=dot', ...flags],
    {
      cwd: root,
      env,
    },
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  return stdout.replace(/\u001b\[[0-9;]*m/g, '');
}

describe('vitest pools and shards', () => {
  it("works with pool 'threads' (several workers in one process)", async () => {
    const out = await childRun('threadsrun', '--pool=threads', '--maxWorkers=2');
    expect(out).toMatch(/Test Files\s+4 passed \(4\)/);
    expect(await runDatabases('threadsrun')).toEqual([]);
  });

  it('works with --shard: each shard runs its part', async () => {
    const [first, second] = await Promise.all([
      childRun('shardone', '--shard=1/2'),
      childRun('shardtwo', '--shard=2/2'),
    ]);
    expect(first).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(second).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(await runDatabases('shardone')).toEqual([]);
  });
});
