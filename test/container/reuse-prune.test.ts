import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resolveOptions } from '../../src/container/index.js';
import { kitStateDir } from '../../src/env/index.js';
import {
  listContainers,
  pruneContainers,
  type StartedTimescale,
  startTimescale,
  type TimescaleOptions,
} from '../../src/index.js';
import { ensureBuilt, root, run } from '../support/build.js';

/** Removes every container (reused ones too) of a configuration, whatever the test's outcome. */
async function removeConfig(options: TimescaleOptions): Promise<void> {
  const { configHash } = resolveOptions(options);
  const ids = (await listContainers()).filter((c) => c.configHash === configHash).map((c) => c.id);
  if (ids.length > 0) await pruneContainers({ includeReused: true, ids });
}

describe('reuse', () => {
  it('finds the same container again, across starts, and keeps it running on stop()', async () => {
    const options = { reuse: true, direct: true, settings: { application_name: `reuse-${process.pid}` } } as const;
    onTestFinished(() => removeConfig(options));
    const [first, same] = await Promise.all([startTimescale(options), startTimescale(options)]);
    expect(same).toBe(first);
    expect(first.reused).toBe(false);
    const pool = first.pool();
    await pool.query('CREATE TABLE survives (id int)');
    await first.stop();

    const again = await startTimescale(options);
    try {
      expect(again).not.toBe(first);
      expect(again.id).toBe(first.id);
      expect(again.reused).toBe(true);
      expect(again.password).toBe(first.password);
      // the route is chosen again for a found container: its own address, as on the first start
      expect([again.route, again.host]).toEqual(['direct', first.host]);
      const rows = await again.pool().query("SELECT to_regclass('survives') AS t");
      expect(rows.rows[0]?.t).toBe('survives');
    } finally {
      await again.stop({ remove: true });
    }
    expect((await listContainers()).map((c) => c.id)).not.toContain(first.id);
  });

  it('applies the official image’s init once per container, as the image does, not on every start', async () => {
    const options = { reuse: true, settings: { application_name: `init-once-${process.pid}` } } as const;
    onTestFinished(() => removeConfig(options));
    const first = await startTimescale(options);
    const template1 = new pg.Client({ connectionString: first.urlFor('template1') });
    const hasTimescale = async (server: StartedTimescale) => {
      const client = new pg.Client({ connectionString: server.urlFor('template1') });
      await client.connect();
      try {
        return (await client.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")).rowCount === 1;
      } finally {
        await client.end();
      }
    };
    expect(await hasTimescale(first)).toBe(true);
    // what a user changed in the container after its init stays changed when it is found again
    await template1.connect();
    await template1.query('DROP EXTENSION timescaledb');
    await template1.end();
    await first.stop();
    const again = await startTimescale(options);
    expect([again.id, again.reused]).toEqual([first.id, true]);
    expect(await hasTimescale(again)).toBe(false);
    // the kit knows a container it initialised from its state folder: without that, it applies the init
    await rm(join(kitStateDir(), 'initialized', first.id), { force: true });
    await again.stop();
    const third = await startTimescale(options);
    expect(await hasTimescale(third)).toBe(true);
    expect(existsSync(join(kitStateDir(), 'initialized', first.id))).toBe(true);
    // removed, the container's note goes with it
    await third.stop({ remove: true });
    expect(existsSync(join(kitStateDir(), 'initialized', first.id))).toBe(false);
  });
});

describe('the direct route option', () => {
  it('is off by default, on with TIMESCALE_TESTKIT_DIRECT=1, and the option wins over the env', () => {
    const saved = process.env.TIMESCALE_TESTKIT_DIRECT;
    onTestFinished(() => {
      if (saved === undefined) delete process.env.TIMESCALE_TESTKIT_DIRECT;
      else process.env.TIMESCALE_TESTKIT_DIRECT = saved;
    });
    delete process.env.TIMESCALE_TESTKIT_DIRECT;
    expect(resolveOptions({}).direct).toBe(false);
    process.env.TIMESCALE_TESTKIT_DIRECT = '1';
    expect(resolveOptions({}).direct).toBe(true);
    expect(resolveOptions({ direct: false }).direct).toBe(false);
    // not a property of the container: both routes reach the same reused one
    expect(resolveOptions({}).configHash).toBe(resolveOptions({ direct: true }).configHash);
  });
});

describe('pruneContainers', () => {
  it('removes a labelled leftover of another run and leaves the rest', async () => {
    const leftover = await startTimescale({ runId: 'crashed-run', extensions: [] });
    const keeper = await startTimescale({ runId: 'live-run', extensions: [] });
    try {
      const listed = await listContainers();
      expect(listed.find((c) => c.id === leftover.id)?.runId).toBe('crashed-run');
      expect(await pruneContainers({ runId: 'crashed-run', olderThanMs: 60_000 })).toEqual([]);
      const removed = await pruneContainers({ runId: 'crashed-run' });
      expect(removed.map((c) => c.id)).toEqual([leftover.id]);
      const after = (await listContainers()).map((c) => c.id);
      expect(after).not.toContain(leftover.id);
      expect(after).toContain(keeper.id);
    } finally {
      await keeper.stop();
      await leftover.stop().catch(() => undefined);
    }
  });
});

describe('reuse across processes', () => {
  it('two processes starting at once get one container (a file lock, not an in-memory one)', async () => {
    await ensureBuilt();
    onTestFinished(() =>
      removeConfig({ reuse: true, extensions: [], settings: { application_name: 'cross-process' } }),
    );
    const script = `import('${join(root, 'dist', 'index.js')}').then(async ({ startTimescale }) => {
      const db = await startTimescale({ reuse: true, extensions: [], settings: { application_name: 'cross-process' } });
      console.log(db.id);
      await db.stop();
    })`;
    const [a, b] = await Promise.all([
      run(process.execPath, ['--input-type=module', '-e', script]),
      run(process.execPath, ['--input-type=module', '-e', script]),
    ]);
    expect(a.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(b.stdout.trim()).toBe(a.stdout.trim());
    const mine = (await listContainers()).filter((c) => c.id === a.stdout.trim());
    expect(mine).toHaveLength(1);
    const same = await startTimescale({ reuse: true, extensions: [], settings: { application_name: 'cross-process' } });
    expect(same.id).toBe(a.stdout.trim());
    await same.stop({ remove: true });
  });
});
