import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate, type Template } from '../../src/index.js';
import { FileClone, isolateTest } from '../../src/isolation/index.js';
import { serverUrl } from '../support/server.js';

const fixtures = new URL('../../fixtures/migrations', import.meta.url).pathname;

describe('test sessions', () => {
  let template: Template;
  beforeAll(async () => {
    template = await createTemplate(serverUrl(), { migrations: fixtures, runId: 'sessiontest' });
  });
  afterAll(async () => {
    await template.close();
  });

  it('keeps a failed test database, committed, and moves the file to a fresh clone', async () => {
    const file = new FileClone(template);
    const session = await isolateTest(file, 'transaction');
    await session.db.exec("INSERT INTO agent_status (name, type, status) VALUES ('evidence', 't', 'ERROR')");
    const { kept, problem } = await session.finish({ failed: true, keepFailed: true });
    expect(problem).toBeUndefined();
    expect(kept).toBe(session.db.connectionString);
    const inspect = new pg.Client({ connectionString: kept as string });
    await inspect.connect();
    expect((await inspect.query('SELECT name FROM agent_status')).rows).toEqual([{ name: 'evidence' }]);
    await inspect.end();
    expect(template.kept).toContain(session.db.name);
    const next = await isolateTest(file, 'truncate');
    expect(next.db.name).not.toBe(session.db.name);
    expect((await next.db.query('SELECT count(*)::int AS n FROM agent_status')).rows[0]?.n).toBe(0);
    await next.db.exec("INSERT INTO agent_status (name, type, status) VALUES ('x', 't', 'ERROR')");
    expect(await next.finish({ failed: true, keepFailed: false })).toEqual({ kept: undefined, problem: undefined });
    expect((await next.db.database.query('SELECT count(*)::int AS n FROM agent_status')).rows[0]?.n).toBe(0);
    await file.drop();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE ${pg.escapeIdentifier(session.db.name)} WITH (FORCE)`);
    await admin.end();
  });
});
