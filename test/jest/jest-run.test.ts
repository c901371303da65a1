import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

describe('jest integration', () => {
  it('runs a CommonJS jest suite on the kit, and cleans up its databases', async () => {
    await ensureBuilt();
    const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
    const { stderr } = await run(
      process.execPath,
      [jest, '--config', join(root, 'test', 'jest-project', 'jest.config.cjs'), '--ci', '--colors=false'],
      {
        cwd: root,
        env: { ...process.env, TIMESCALE_TESTKIT_URL: serverUrl(), TIMESCALE_TESTKIT_RUN_ID: 'jestrun' },
      },
    );
    expect(stderr).toMatch(/Tests:\s+5 passed, 5 total/);
    expect(stderr).toMatch(/Test Suites:\s+2 passed, 2 total/);

    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'tk\\_jestrun\\_%'");
    await admin.end();
    expect(rows).toEqual([]);
  });
});
