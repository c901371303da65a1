import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneDatabase, dropDatabase } from '../../src/isolation/admin.js';
import { CloneError } from '../../src/isolation/index.js';
import { scratchDatabase, serverUrl } from '../support/server.js';

describe('cloning', () => {
  const admin = new pg.Pool({ connectionString: serverUrl(), max: 2 });
  afterAll(() => admin.end());
  const marker = { kind: 'clone' as const, runId: 'admintest', createdAt: Date.now(), template: 'x' };

  it('ends stray sessions on the template (SQLSTATE 55006) and retries', async () => {
    const source = await scratchDatabase('busy');
    const stray = new pg.Client({ connectionString: source.url });
    stray.on('error', () => undefined);
    await stray.connect();
    await stray.query('CREATE TABLE t (id int); INSERT INTO t VALUES (7)');
    const name = `tk_admintest_${Date.now()}`;
    await cloneDatabase(admin, source.name, name, marker);
    const clone = new pg.Client({ connectionString: serverUrl().replace(/\/[^/]*$/, `/${name}`) });
    await clone.connect();
    expect((await clone.query('SELECT id FROM t')).rows).toEqual([{ id: 7 }]);
    await clone.end();
    await expect(stray.query('SELECT 1')).rejects.toThrow();
    await dropDatabase(admin, name);
    await source.drop();
  });

  it('says which clone failed and why', async () => {
    const error = await cloneDatabase(admin, 'no_such_template', 'tk_admintest_never', marker).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloneError);
    expect((error as Error).message).toContain('"no_such_template"');
    await dropDatabase(admin, 'tk_admintest_never_existed');
  });
});

describe('dropping', () => {
  const admin = new pg.Pool({ connectionString: serverUrl(), max: 2 });
  afterAll(() => admin.end());
  const exists = async (name: string) =>
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;

  it('lets a connection that is about to leave finish instead of killing it', async () => {
    const db = await scratchDatabase('closing');
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    // the last query of a test, then the pool's end: done within the grace period
    const last = client.query('SELECT pg_sleep(0.04)').then(() => client.end());
    await new Promise((resolve) => setTimeout(resolve, 5));
    await dropDatabase(admin, db.name);
    await expect(last).resolves.toBeUndefined();
    expect(await exists(db.name)).toBe(false);
  });

  it('ends a connection that stays past the grace period', async () => {
    const db = await scratchDatabase('staying');
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    const long = client.query('SELECT pg_sleep(30)').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await dropDatabase(admin, db.name);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await long).toMatchObject({ code: '57P01' });
    expect(await exists(db.name)).toBe(false);
  });
});
