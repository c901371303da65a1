import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

describe('a failed test', () => {
  it('keeps its database with the rows it wrote and prints its URL and the factories seed', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TIMESCALE_TESTKIT_URL: serverUrl(),
      TIMESCALE_TESTKIT_RUN_ID: 'keepfailed',
      TIMESCALE_TESTKIT_SEED: '4242',
      NO_COLOR: '1',
    };
    for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'FORCE_COLOR') delete env[name];
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const failed = await run(process.execPath, [vitest, 'run', '--config', 'test/vitest/failing/vitest.config.ts'], {
      cwd: root,
      env,
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect('code' in failed && failed.code).toBe(1);
    const output = `${failed.stdout}\n${failed.stderr}`;
    expect(output).toContain('factories seed of failed test "fails after writing through a factory": 4242');
    const url = /kept the database of failed test "[^"]+": (\S+)/.exec(output)?.[1];
    expect(url).toBeDefined();
    const kept = new pg.Client({ connectionString: url });
    await kept.connect();
    expect((await kept.query('SELECT name FROM agent_status')).rows).toEqual([{ name: 'evidence' }]);
    const name = (await kept.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
    await kept.end();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  });
});
