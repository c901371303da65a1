import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listContainers, pruneContainers } from '../../src/index.js';
import { childVitestEnv, root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

interface Assertion {
  fullName: string;
  status: string;
  failureMessages: string[];
}

describe('a container killed in the middle of a run', () => {
  it('fails the tests with a ServerGoneError naming it, its exit code and last log lines, and is removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-killed-run-'));
    const report = join(dir, 'report.json');
    try {
      const env = childVitestEnv(serverUrl(), 'killedrun');
      delete env.TIMESCALE_TESTKIT_URL;
      const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
      const args = [vitest, 'run', '--config', 'test/vitest/server-gone/vitest.config.ts', '--reporter=json'];
      const outcome = await run(process.execPath, [...args, `--outputFile=${report}`], {
        cwd: root,
        env,
        timeout: 120_000,
      }).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect('code' in outcome && outcome.code).toBe(1);
      const results = JSON.parse(await readFile(report, 'utf8')) as {
        testResults: { assertionResults: Assertion[] }[];
      };
      const tests = results.testResults.flatMap((file) => file.assertionResults);
      expect(tests.map((t) => t.status)).toEqual(['failed', 'failed']);
      const id = /went away: container ([0-9a-f]{12})/.exec(tests[1]?.failureMessages.join('\n') ?? '')?.[1] as string;
      expect(id).toBeDefined();
      for (const test of tests) {
        const message = test.failureMessages.join('\n');
        expect(message).toContain(`The database server went away: container ${id}`);
        expect(message).toContain('was killed (exit code 137, SIGKILL)');
        expect(message).toContain('Last ');
        expect(message).toContain('docker kill');
      }
      expect(outcome.stderr).toContain(`timescale-testkit: The database server went away: container ${id}`);
      expect((await listContainers()).filter((c) => c.id.startsWith(id))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await pruneContainers({ runId: 'killedrun' });
    }
  });
});
