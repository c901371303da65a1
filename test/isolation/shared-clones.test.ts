import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from '../../src/index.js';
import { dropRunClones } from '../../src/isolation/cleanup.js';
import { dropLeftoverClones, MARKER_PREFIX, SharedClonePool, Template } from '../../src/isolation/index.js';
import { parseMarker } from '../../src/isolation/marker.js';
import { sharedPrefix } from '../../src/isolation/names.js';
import { claimShared } from '../../src/isolation/shared-clones.js';
import { databaseRows, serverUrl, urlFor } from '../support/server.js';

const fixtures = new URL('../../fixtures/migrations', import.meta.url).pathname;

describe('the shared clone pool', () => {
  const admin = new pg.Pool({ connectionString: serverUrl(), max: 2 });
  let template: Template;
  const attach = (runId: string) => Template.attach(serverUrl(), template.name, { runId, prepared: 0 });
  const rows = (where: string, value: string) => databaseRows(admin, where, value);
  const waiting = (runId: string) => rows('starts_with(datname, $1)', sharedPrefix(runId));
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 80 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  };

  beforeAll(async () => {
    template = await createTemplate(serverUrl(), { migrations: fixtures, runId: 'sharedtest', prepared: 0 });
  });
  afterAll(async () => {
    await template.close();
    await admin.end();
  });

  it('keeps waiting clones closed to connections; a claimed one opens, carrying its marker', async () => {
    const shared = await template.shareClones(2);
    const worker = attach('sharedtest');
    try {
      const before = await waiting('sharedtest');
      expect(before).toHaveLength(2);
      for (const clone of before) {
        expect(clone.allowConn).toBe(false);
        expect(parseMarker(clone.comment)).toMatchObject({
          kind: 'clone',
          runId: 'sharedtest',
          template: template.name,
        });
      }
      const closed = new pg.Client({ connectionString: urlFor(before[0]?.name ?? '') });
      await expect(closed.connect()).rejects.toMatchObject({ code: '55000' });

      const db = await worker.clone();
      const [claimed] = await rows('datname = $1', db.name);
      expect(claimed?.allowConn).toBe(true);
      expect(parseMarker(claimed?.comment)).toMatchObject({ kind: 'clone', runId: 'sharedtest' });
      expect(before.map((clone) => clone.name)).not.toContain(db.name);
      expect((await db.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name).toBe(db.name);
      // truncate checks the marker before it empties anything
      await db.exec("INSERT INTO agent_status (name, type, status) VALUES ('a', 'x', 'RUNNING')");
      await db.truncate();

      await until(async () => (await waiting('sharedtest')).length === 2);
      const after = await waiting('sharedtest');
      expect(after).toHaveLength(2);
      expect(after.every((clone) => !clone.allowConn)).toBe(true);
      await db.drop();
    } finally {
      await shared.stop();
      await worker.close();
      await template.dropRun();
    }
    expect(await waiting('sharedtest')).toEqual([]);
  });

  it('hands two workers racing for the last waiting clone a database each', async () => {
    const shared = await template.shareClones(1);
    const [first, second] = [attach('sharedtest'), attach('sharedtest')];
    try {
      const dbs = await Promise.all([first.clone(), second.clone()]);
      expect(dbs[0].name).not.toBe(dbs[1].name);
      for (const db of dbs) {
        expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_status')).rows[0]?.n).toBe(0);
        await db.drop();
      }
    } finally {
      await shared.stop();
      await Promise.all([first.close(), second.close()]);
      await template.dropRun();
    }
  });

  it('leaves a clone that has no marker yet (between its CREATE and its comment) to the pool', async () => {
    const unmarked = `${sharedPrefix('unmarkedtest')}1`;
    await admin.query(
      `CREATE DATABASE ${pg.escapeIdentifier(unmarked)} TEMPLATE ${pg.escapeIdentifier(template.name)} ALLOW_CONNECTIONS false`,
    );
    expect(await claimShared(admin, 'unmarkedtest', 'tk_unmarkedtest_claimed')).toBe(false);
    expect((await waiting('unmarkedtest')).map((clone) => clone.name)).toEqual([unmarked]);
    // teardown finds it by name
    expect(await dropRunClones(admin, 'unmarkedtest')).toEqual([unmarked]);
  });

  it('resolves once the clones asked for first exist, and makes the rest in the background', async () => {
    const pool = new SharedClonePool(admin, template.name, 'readytest', 3);
    try {
      await pool.start(1);
      expect((await waiting('readytest')).length).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 200 && (await waiting('readytest')).length < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await waiting('readytest')).toHaveLength(3);
    } finally {
      await pool.stop();
      await dropRunClones(admin, 'readytest');
    }
  });

  it('drops never-opened clones of a crashed run (prune, the next start)', async () => {
    const pool = new SharedClonePool(admin, template.name, 'crashedshared', 1);
    await pool.start();
    await pool.stop();
    const [left] = await waiting('crashedshared');
    expect(left?.allowConn).toBe(false);
    const old = { ...parseMarker(left?.comment), createdAt: Date.now() - 7_200_000 };
    await admin.query(
      `COMMENT ON DATABASE ${pg.escapeIdentifier(left?.name ?? '')} IS ${pg.escapeLiteral(`${MARKER_PREFIX}${JSON.stringify(old)}`)}`,
    );
    expect(await dropLeftoverClones(admin, 'sharedtest', 3_600_000)).toContain(left?.name);
    expect(await waiting('crashedshared')).toEqual([]);
  });
});
