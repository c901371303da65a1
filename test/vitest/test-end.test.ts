import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

interface Assertion {
  fullName: string;
  status: string;
  failureMessages: string[];
}

describe('the end of a test', () => {
  it('cancels a query that outlived a timeout and takes back leaked clients, in every isolation mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-ending-'));
    const report = join(dir, 'report.json');
    try {
      const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
      const args = [vitest, 'run', '--config', 'test/vitest/ending/vitest.config.ts', '--reporter=json'];
      const outcome = await run(process.execPath, [...args, `--outputFile=${report}`], {
        cwd: root,
        env: childVitestEnv(serverUrl(), 'ending'),
        timeout: 120_000,
      }).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect('code' in outcome && outcome.code).toBe(1);
      const results = JSON.parse(await readFile(report, 'utf8')) as {
        testResults: { assertionResults: Assertion[] }[];
      };
      const tests = results.testResults.flatMap((file) => file.assertionResults);
      const byName = new Map(tests.map((t) => [t.fullName, t]));
      for (const mode of ['transaction', 'truncate', 'none']) {
        expect(byName.get(`${mode} times out mid-query`)?.status).toBe('failed');
        expect(byName.get(`${mode} times out mid-query`)?.failureMessages.join('\n')).toContain('timed out');
        expect(byName.get(`${mode} starts clean after a test that timed out`)).toMatchObject({ status: 'passed' });
        const leaked = byName.get(`${mode} leaves a client checked out`);
        expect(leaked?.status).toBe('failed');
        expect(leaked?.failureMessages.join('\n')).toContain(
          `A client taken from db.pool in test "leaves a client checked out" was not released`,
        );
        expect(byName.get(`${mode} starts clean after a test that leaked a client`)).toMatchObject({
          status: 'passed',
        });
      }
      expect(tests).toHaveLength(12);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
