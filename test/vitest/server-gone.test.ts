import { describe, expect, it } from 'vitest';
import { listContainers, pruneContainers } from '../../src/index.js';
import { childVitestEnv, vitestReport } from '../support/build.js';
import { serverUrl } from '../support/server.js';

describe('a container killed in the middle of a run', () => {
  it('fails the tests with a ServerGoneError naming it, its exit code and last log lines, and is removed', async () => {
    try {
      const env = childVitestEnv(serverUrl(), 'killedrun');
      delete env.TIMESCALE_TESTKIT_URL;
      const outcome = await vitestReport('test/vitest/server-gone/vitest.config.ts', env);
      expect(outcome.code).toBe(1);
      const tests = outcome.tests;
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
      await pruneContainers({ runId: 'killedrun' });
    }
  });
});
