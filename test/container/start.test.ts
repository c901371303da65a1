import { getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type StartedTimescale, startTimescale, TimescaleContainer } from '../../src/index.js';
import { isSafeHost } from '../../src/isolation/index.js';

describe('startTimescale', () => {
  let db: StartedTimescale;

  beforeAll(async () => {
    db = await new TimescaleContainer().withPool({ max: 3 }).withSettings({ work_mem: '8MB' }).start();
  });
  afterAll(async () => {
    await db.stop();
  });

  it('reports the verified extension versions', () => {
    expect(db.extensions.timescaledb).toMatch(/^\d+\.\d+\.\d+/);
    expect(db.extensions.vector).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(db.extensions).sort()).toEqual(['timescaledb', 'vector']);
  });

  it('exposes connection details that work', async () => {
    const url = new URL(db.connectionString);
    expect(url.hostname).toBe(db.host);
    expect(Number(url.port)).toBe(db.port);
    expect(db.database).toBe('test');
    expect(db.password).toMatch(/^[0-9a-f]{32}$/);
    expect(db.urlFor('other')).toContain('/other');
    const pool = db.pool();
    const { rows } = await pool.query<{ db: string; fsync: string }>(
      "SELECT current_database() AS db, current_setting('fsync') AS fsync",
    );
    expect(rows[0]).toEqual({ db: 'test', fsync: 'off' });
    const workMem = await pool.query<{ work_mem: string }>('SHOW work_mem');
    expect(workMem.rows[0]?.work_mem).toBe('8MB');
    await pool.end();
  });

  it('stores rows in a hypertable and answers a vector nearest-neighbour query', async () => {
    const pool = db.pool();
    await pool.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    await pool.query('CREATE TABLE ticks (time timestamptz NOT NULL, price numeric NOT NULL)');
    await pool.query("SELECT create_hypertable('ticks', 'time')");
    await pool.query(
      "INSERT INTO ticks SELECT t, 100 + extract(epoch FROM t)::int % 7 FROM generate_series('2026-01-01'::timestamptz, '2026-01-20', '1 hour') t",
    );
    const chunks = await pool.query<{ n: string }>("SELECT count(*) AS n FROM show_chunks('ticks')");
    expect(Number(chunks.rows[0]?.n)).toBeGreaterThan(1);

    await pool.query('CREATE TABLE docs (id int PRIMARY KEY, embedding vector(3))');
    await pool.query("INSERT INTO docs VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]')");
    const nearest = await pool.query<{ id: number }>("SELECT id FROM docs ORDER BY embedding <=> '[1,0,0]' LIMIT 2");
    expect(nearest.rows.map((row) => row.id)).toEqual([1, 3]);
    await pool.end();
  });

  it('caps pools at their max connections', async () => {
    const pool = db.pool();
    const backends = () =>
      pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cap-check'",
      );
    const limited = db.pool({ application_name: 'cap-check' });
    await Promise.all(Array.from({ length: 8 }, () => limited.query('SELECT pg_sleep(0.2)')));
    expect(limited.totalCount).toBeLessThanOrEqual(3);
    expect((await backends()).rows[0]?.n).toBeLessThanOrEqual(3);
    await limited.end();
    await pool.end();
  });

  it("survives the server ending a pool's idle connection (no uncaught error)", async () => {
    const pool = db.pool();
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const other = db.pool({ max: 1 });
    await other.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pool.listenerCount('error')).toBeGreaterThan(0);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await Promise.all([pool.end(), other.end()]);
  });

  it("connects through the published port, and to the container's own address when told to", async () => {
    const client = await getContainerRuntimeClient();
    expect(db.route).toBe('published');
    expect(db.port).toBe(db.publishedPort);
    // the published port is bound to loopback, and the kit connects to that address (no lookup of localhost)
    const binding = (await client.container.inspect(client.container.getById(db.id))).NetworkSettings.Ports['5432/tcp'];
    expect(binding?.map((bound) => bound.HostIp)).toEqual(['127.0.0.1']);
    expect(db.host).toBe('127.0.0.1');
    const direct = await new TimescaleContainer().withExtensions([]).withDirectRoute().start();
    onTestFinished(() => direct.stop());
    const inspected = await client.container.inspect(client.container.getById(direct.id));
    // Docker Engine on this Linux machine: the bridge address answers from the host
    expect(direct.route).toBe('direct');
    expect(direct.host).toBe(Object.values(inspected.NetworkSettings.Networks)[0]?.IPAddress);
    expect(direct.port).toBe(5432);
    expect(new URL(direct.connectionString).host).toBe(`${direct.host}:5432`);
    expect(direct.publishedPort).toBe(Number(inspected.NetworkSettings.Ports['5432/tcp']?.[0]?.HostPort));
    // the guard trusts the address of a server the kit started, here and in the processes it starts
    expect(isSafeHost(direct.host)).toBe(true);
    expect(process.env.TIMESCALE_TESTKIT_TRUSTED_HOSTS?.split(',')).toContain(direct.host);
    for (const server of [db, direct]) {
      const pool = server.pool();
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]?.one).toBe(1);
      await pool.end();
    }
  });

  it('binds the mapped port to loopback on a local engine and labels the container', async () => {
    const client = await getContainerRuntimeClient();
    const inspected = await client.container.inspect(client.container.getById(db.id));
    const bindings = inspected.HostConfig.PortBindings as Record<string, { HostIp: string }[]>;
    expect(bindings['5432/tcp']?.[0]?.HostIp).toBe('127.0.0.1');
    expect(inspected.Config.Labels['org.timescale-testkit']).toBe('true');
    expect(inspected.Config.Labels['org.timescale-testkit.run-id']).toBe(db.runId);
    expect(inspected.Config.Labels['org.timescale-testkit.config-hash']).toBe(db.configHash);
    expect(inspected.Config.Env).toContain('NO_TS_TUNE=true');
    expect(inspected.HostConfig.Tmpfs).toHaveProperty(['/var/lib/postgresql/data']);
  });
});

describe('stopping', () => {
  it('stop() and asyncDispose are idempotent and remove the container', async () => {
    const db = await startTimescale({ tmpfs: false, tuning: false });
    onTestFinished(() => db.stop());
    const pool = db.pool();
    expect((await pool.query<{ fsync: string }>('SHOW fsync')).rows[0]?.fsync).toBe('on');
    await Promise.all([db.stop(), db.stop()]);
    await db[Symbol.asyncDispose]();
    expect(db.stopped).toBe(true);
    expect(pool.ended).toBe(true);
    const client = await getContainerRuntimeClient();
    const ids = (await client.container.list()).map((info) => info.Id);
    expect(ids).not.toContain(db.id);
  });

  it('works with await using', async () => {
    let id = '';
    {
      await using db = await startTimescale({ extensions: [] });
      id = db.id;
      expect(db.extensions).toEqual({});
    }
    const client = await getContainerRuntimeClient();
    expect((await client.container.list()).map((info) => info.Id)).not.toContain(id);
  });
});
