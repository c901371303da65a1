import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { getContainerRuntimeClient } from 'testcontainers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareRun } from '../../src/harness/index.js';
import { listContainers, pruneContainers, ServerGoneError, startTimescale } from '../../src/index.js';
import { cli } from '../cli/support.js';

/** SIGKILL, as `docker kill` (and the OOM killer) sends it. */
async function kill(id: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  await client.container.dockerode.getContainer(id).kill();
}

async function sleeping(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query(
      "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()",
    );
    return rows.length > 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const leftovers: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  if (leftovers.length > 0) await pruneContainers({ includeReused: true, ids: leftovers.splice(0) });
});

describe('a server that goes away', () => {
  it('during the global setup is a ServerGoneError naming the container, and its container is removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-killed-'));
    const runId = `killed-setup-${Date.now()}`;
    await writeFile(join(dir, '001_slow.sql'), 'CREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n');
    try {
      const preparing = prepareRun(dir, { migrations: '.', container: { runId, extensions: [] } }).catch(
        (e: unknown) => e,
      );
      let id: string | undefined;
      for (let i = 0; i < 300 && !id; i++) {
        const mine = (await listContainers()).find((c) => c.runId === runId && c.connectionString);
        if (mine?.connectionString && (await sleeping(mine.connectionString))) id = mine.id;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(id).toBeDefined();
      leftovers.push(id as string);
      await kill(id as string);
      const error = await preparing;
      expect(error).toBeInstanceOf(ServerGoneError);
      const gone = error as ServerGoneError;
      expect(gone.containerId).toBe(id);
      expect(gone.exitCode).toBe(137);
      expect(gone.message).toContain(`container ${id?.slice(0, 12)}`);
      expect(gone.message).toContain('killed (exit code 137');
      expect(gone.logLines.length).toBeGreaterThan(0);
      expect((await listContainers()).map((c) => c.id)).not.toContain(id);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await pruneContainers({ runId });
    }
  });

  it('is reported by exitStatus() and onExit() with its exit code and last log lines', async () => {
    const server = await startTimescale({ extensions: [] });
    leftovers.push(server.id);
    expect(await server.exitStatus()).toBeUndefined();
    const exited = new Promise<Parameters<Parameters<typeof server.onExit>[0]>[0]>((resolve) => server.onExit(resolve));
    await kill(server.id);
    const exit = await exited;
    expect(exit).toMatchObject({ containerId: server.id, exitCode: 137, oomKilled: false, image: server.image });
    expect(exit.logLines.join('\n')).toContain('database system is ready to accept connections');
    expect((await server.exitStatus())?.exitCode).toBe(137);
    await server.stop({ remove: true });
  });
});

describe('stopped kit containers', () => {
  it('are listed by status with their exit code, and removed by prune', async () => {
    const runId = `stopped-${Date.now()}`;
    const server = await startTimescale({ extensions: [], runId });
    leftovers.push(server.id);
    await kill(server.id);
    const listed = (await listContainers()).find((c) => c.id === server.id);
    expect(listed).toMatchObject({ state: 'exited', exitCode: 137, runId });
    const status = await cli(['status']);
    expect(status.out.split('\n').find((line) => line.startsWith(server.id.slice(0, 12)))).toContain('exited (137)');
    expect((await pruneContainers({ runId })).map((c) => c.id)).toEqual([server.id]);
    expect((await listContainers()).map((c) => c.id)).not.toContain(server.id);
  });
});

describe('down', () => {
  it('reports only removals the engine confirmed', async () => {
    const server = await startTimescale({ extensions: [], runId: `down-verify-${Date.now()}` });
    leftovers.push(server.id);
    const client = await getContainerRuntimeClient();
    // an engine that answers the stop and the remove but keeps the container
    vi.spyOn(client.container, 'stop').mockResolvedValue(undefined);
    vi.spyOn(client.container, 'remove').mockResolvedValue(undefined);
    const down = await cli(['down', server.id.slice(0, 12)]);
    expect(down.code).toBe(1);
    expect(down.out).not.toContain('removed');
    expect(down.err).toContain(`still there after their removal: ${server.id.slice(0, 12)}`);
    vi.restoreAllMocks();
    const again = await cli(['down', server.id.slice(0, 12)]);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`removed ${server.id.slice(0, 12)}`);
  });
});
