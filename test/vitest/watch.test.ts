import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

describe('watch mode', () => {
  it('re-runs files against the same template, each run on fresh clones, and cleans up on close', async () => {
    const env = childVitestEnv(serverUrl(), 'watchrun');
    const { stdout } = await run(process.execPath, [join(root, 'test', 'vitest', 'watch-runner.mjs')], {
      cwd: root,
      env,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result).toEqual({ first: ['passed', 'passed'], second: ['passed', 'passed'], errors: 0 });
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'tk\\_watchrun\\_%'");
    await admin.end();
    expect(rows).toEqual([]);
  });
});
