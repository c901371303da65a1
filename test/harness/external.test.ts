import { join } from 'node:path';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachRun, prepareRun } from '../../src/harness/index.js';
import { DEFAULT_IMAGE } from '../../src/index.js';
import { FileClone, isolateTest } from '../../src/isolation/index.js';

const root = join(import.meta.dirname, '..', '..');
const image = process.env.TIMESCALE_TESTKIT_IMAGE ?? DEFAULT_IMAGE;

describe('external server mode', () => {
  let server: StartedPostgreSqlContainer;
  let admin: pg.Client;

  beforeAll(async () => {
    // a server the kit did not start: plain @testcontainers/postgresql
    server = await new PostgreSqlContainer(image).withDatabase('shared').start();
    admin = new pg.Client({ connectionString: server.getConnectionUri() });
    admin.on('error', () => undefined);
    await admin.connect();
    await admin.query('CREATE DATABASE precious');
  });
  afterAll(async () => {
    await admin.end();
    await server.stop();
  });

  const databases = async () =>
    (await admin.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname')).rows.map(
      (r) => r.datname,
    );

  it('builds the template and clones there under run-unique names, and cleans up only those', async () => {
    const before = await databases();
    process.env.TIMESCALE_TESTKIT_URL = server.getConnectionUri();
    try {
      const run = await prepareRun(root, { migrations: './fixtures/migrations' });
      expect(run.server).toBeUndefined();
      expect(run.handOver.serverUrl).toBe(server.getConnectionUri());
      const template = attachRun(run.handOver);
      const file = new FileClone(template);
      const session = await isolateTest(file, 'transaction');
      await session.db.query("INSERT INTO agent_status (name, type, status) VALUES ('x', 'y', 'RUNNING')");
      expect((await databases()).some((name) => name.startsWith(`tk_${run.handOver.runId}_`))).toBe(true);
      await session.finish({ failed: false, keepFailed: false });
      await file.drop();
      await template.close();
      await run.teardown();
      const after = await databases();
      expect(after).toContain('precious');
      expect(after.filter((name) => !before.includes(name))).toEqual([run.handOver.template]);
    } finally {
      delete process.env.TIMESCALE_TESTKIT_URL;
    }
  });
});
