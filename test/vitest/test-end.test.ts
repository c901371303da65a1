import { describe, expect, it } from 'vitest';
import { childVitestEnv, vitestReport } from '../support/build.js';
import { serverUrl } from '../support/server.js';

describe('the end of a test', () => {
  it('cancels a query that outlived a timeout and takes back leaked clients, in every isolation mode', async () => {
    const outcome = await vitestReport('test/vitest/ending/vitest.config.ts', childVitestEnv(serverUrl(), 'ending'));
    expect(outcome.code).toBe(1);
    const tests = outcome.tests;
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
  });
});
