import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { truncateAll, UnsafeDatabaseError } from '../../src/index.js';
import { isSafeHost, trustHost } from '../../src/isolation/index.js';
import { scratchDatabase } from '../support/server.js';

describe('safeguard', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    scratch = await scratchDatabase('guard');
    pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    await pool.query('CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)');
  });
  afterAll(async () => {
    await pool.end();
    await scratch.drop();
  });
  afterEach(() => {
    delete process.env.TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE;
  });

  const rows = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM precious')).rows[0]?.n;

  it('refuses to truncate a database the kit did not create, and says how to opt in', async () => {
    const error = await truncateAll(pool).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDatabaseError);
    expect((error as UnsafeDatabaseError).database).toBe(scratch.name);
    expect((error as Error).message).toContain('the kit did not create it');
    expect((error as Error).message).toContain('TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE=1');
    expect(await rows()).toBe(1);
  });

  it('truncates it with the explicit unsafe flag', async () => {
    await truncateAll(pool, { unsafe: true });
    expect(await rows()).toBe(0);
    await pool.query('INSERT INTO precious VALUES (1)');
  });

  it('truncates it with TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE=1', async () => {
    process.env.TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE = '1';
    await truncateAll(pool);
    expect(await rows()).toBe(0);
  });

  it('refuses a non-loopback host before connecting to it', async () => {
    const remote = new pg.Pool({ host: 'prod-db.example.invalid', database: 'trading', connectionTimeoutMillis: 500 });
    const error = await truncateAll(remote).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDatabaseError);
    expect((error as UnsafeDatabaseError).host).toBe('prod-db.example.invalid');
    expect((error as Error).message).toContain('neither loopback nor a kit container');
    expect(remote.totalCount).toBe(0);
    // opting in lets the call through the guard: it then fails on the network, not on the guard
    const through = await truncateAll(remote, { unsafe: true }).catch((e: unknown) => e);
    expect(through).not.toBeInstanceOf(UnsafeDatabaseError);
    await remote.end();
  });

  it('counts loopback, sockets and trusted hosts as safe', () => {
    expect(isSafeHost('127.0.0.1')).toBe(true);
    expect(isSafeHost('127.0.1.1')).toBe(true);
    expect(isSafeHost('::1')).toBe(true);
    expect(isSafeHost('/var/run/postgresql')).toBe(true);
    const saved = process.env.TIMESCALE_TESTKIT_TRUSTED_HOSTS;
    onTestFinished(() => {
      if (saved === undefined) delete process.env.TIMESCALE_TESTKIT_TRUSTED_HOSTS;
      else process.env.TIMESCALE_TESTKIT_TRUSTED_HOSTS = saved;
    });
    expect(isSafeHost('db.internal')).toBe(false);
    trustHost('db.internal');
    expect(isSafeHost('db.internal')).toBe(true);
    // written to the env too: processes started from here on (test workers) trust it as well
    expect(process.env.TIMESCALE_TESTKIT_TRUSTED_HOSTS?.split(',')).toContain('db.internal');
    process.env.TIMESCALE_TESTKIT_TRUSTED_HOSTS = 'ci-db';
    expect(isSafeHost('ci-db')).toBe(true);
    expect(isSafeHost('db.other')).toBe(false);
  });
});
