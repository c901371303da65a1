import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run, vitestBin } from '../support/build.js';
import { serverUrl } from '../support/server.js';

describe('a failed test', () => {
  it('keeps its database with the rows it wrote and prints its URL and the factories seed', async () => {
    const env = childVitestEnv(serverUrl(), 'keepfailed', { TIMESCALE_TESTKIT_SEED: '4242' });
    const failed = await run(process.execPath, [vitestBin, 'run', '--config', 'test/vitest/failing/vitest.config.ts'], {
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
