import { getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedTimescale, startTimescale } from '../../src/index.js';

async function exec(id: string, command: string): Promise<string> {
  const client = await getContainerRuntimeClient();
  const result = await client.container.exec(client.container.getById(id), ['sh', '-c', command]);
  return result.output;
}

describe('a started container', () => {
  let server: StartedTimescale;

  beforeAll(async () => {
    server = await startTimescale({ extensions: [] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs an init process as PID 1 and no health check', async () => {
    const client = await getContainerRuntimeClient();
    const inspected = await client.container.inspect(client.container.getById(server.id));
    expect(inspected.HostConfig.Init).toBe(true);
    expect(inspected.Config.Healthcheck?.Test).toEqual(['NONE']);
    expect(inspected.State.Health).toBeUndefined();
    expect((await exec(server.id, 'cat /proc/1/comm')).trim()).not.toBe('postgres');
  });

  it('survives an orphan in the container that dies from a signal', async () => {
    const pool = server.pool({ max: 1, min: 1 });
    const before = await pool.query<{ pid: number; started: Date }>(
      'SELECT pg_backend_pid() AS pid, pg_postmaster_start_time() AS started',
    );
    // a process whose parent exits at once: it is reparented to PID 1, then dies of SIGPIPE
    await exec(server.id, 'sh -c "sleep 0.3; kill -PIPE \\$\\$" >/dev/null 2>&1 & exit 0');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await pool.query<{ pid: number; started: Date }>(
      'SELECT pg_backend_pid() AS pid, pg_postmaster_start_time() AS started',
    );
    expect(after.rows[0]?.pid).toBe(before.rows[0]?.pid);
    expect(after.rows[0]?.started.getTime()).toBe(before.rows[0]?.started.getTime());
    await pool.end();
  });

  it('costs (almost) no CPU while nobody uses it', async () => {
    const usage = async () => Number(await exec(server.id, 'cat /sys/fs/cgroup/cpuacct/cpuacct.usage'));
    const first = await usage();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const cpuMs = ((await usage()) - first) / 1e6;
    // a health check (a shell and pg_isready every 250 ms) costs hundreds of ms over 3 s
    expect(cpuMs).toBeLessThan(60);
  });
});
