import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, ensureBuilt, root, run, vitestBin } from '../support/build.js';
import { serverUrl } from '../support/server.js';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

interface Outcome {
  code: number;
  output: string;
}

/** Runs a runner as a child process against the suite's server; its exit code and all it printed. */
async function runner(runId: string, command: string[], cwd = root): Promise<Outcome> {
  const env = childVitestEnv(serverUrl(), runId);
  const result = await run(process.execPath, command, { cwd, env, timeout: 180_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, output: `${stdout}\n${stderr}` }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: `${error.stdout}\n${error.stderr}`,
    }),
  );
  return result;
}

/** The kept database of the failed test holds the row it wrote; it is dropped afterwards. */
async function keptEvidence(output: string): Promise<string[]> {
  const url = /kept the database of failed test "[^"]*fails on purpose": (\S+)/.exec(output)?.[1];
  expect(url, output).toBeDefined();
  const kept = new pg.Client({ connectionString: url });
  await kept.connect();
  try {
    return (await kept.query<{ name: string }>('SELECT name FROM agent_status')).rows.map((row) => row.name);
  } finally {
    const name = (await kept.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
    await kept.end();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  }
}

function expectBehaviour({ code, output }: Outcome, passed: RegExp): void {
  expect(code, output).toBe(1);
  expect(output).toMatch(passed);
  expect(output).toMatch(
    /factories seed of failed test "[^"]*fails on purpose": \d+ \(replay with TIMESCALE_TESTKIT_SEED=\d+\)/,
  );
}

describe('the same behaviour through every runner', () => {
  it('vitest: isolation per test in both modes, a clone per file, a failed test kept with its seed', async () => {
    const outcome = await runner('adaptvitest', [
      vitestBin,
      'run',
      '--config',
      'test/adapters/vitest/vitest.config.ts',
    ]);
    expectBehaviour(outcome, /Tests\s+1 failed \| 4 passed \(5\)/);
    expect(await keptEvidence(outcome.output)).toEqual(['evidence']);
  });

  it('jest: the same, through the preset (its environment tells the kit which test failed)', async () => {
    await ensureBuilt();
    const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
    const config = join(root, 'test', 'adapters', 'jest', 'jest.config.cjs');
    const outcome = await runner('adaptjest', [jest, '--config', config, '--ci', '--colors=false']);
    expectBehaviour(outcome, /Tests:\s+1 failed, 4 passed, 5 total/);
    expect(await keptEvidence(outcome.output)).toEqual(['evidence']);
  });

  // --test-global-setup exists from Node 24 on; the suite's second run under Node 22 reports this one as skipped
  it.runIf(NODE_MAJOR >= 24)('node:test (Node 24+): the same, with its global setup and hooks', async () => {
    await ensureBuilt();
    const dir = join(root, 'test', 'adapters', 'node-test');
    const setup = join(root, 'dist', 'node-test', 'global-setup.js');
    const outcome = await runner(
      'adaptnode',
      ['--test', `--test-global-setup=${setup}`, '--test-concurrency=2', 'a.test.mjs', 'b.test.mjs'],
      dir,
    );
    expectBehaviour(outcome, /pass 4\n.*fail 1/s);
    expect(await keptEvidence(outcome.output)).toEqual(['evidence']);
  });
});
