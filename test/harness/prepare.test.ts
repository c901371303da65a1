import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContainerRuntimeClient } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/harness/index.js';
import { listContainers, MigrationError } from '../../src/index.js';

describe('prepareRun', () => {
  it('stops the container it started when the migrations fail, and names the file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-broken-'));
    await writeFile(join(dir, '001_ok.sql'), 'CREATE TABLE fine (id int);\n');
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE also_fine (id int);\n\nCREATE TABL broken (id int);\n');
    try {
      const error = await prepareRun(dir, {
        migrations: '.',
        container: { runId: 'broken-run', extensions: [] },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).file).toContain('002_broken.sql');
      expect((error as MigrationError).line).toBe(3);
      expect((await listContainers()).filter((c) => c.runId === 'broken-run')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('prepareRun: a teardown on a server that stopped answering', () => {
  it('gives up at its deadline, says which step it was in, and lets the runner exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-frozen-'));
    await writeFile(join(dir, '001_table.sql'), 'CREATE TABLE t (id int);\n');
    const lines: string[] = [];
    const run = await prepareRun(
      dir,
      { migrations: '.', quiet: true, container: { runId: 'frozen-run', extensions: [] } },
      { workers: 1, log: (line) => lines.push(line), teardownTimeoutMs: 1_500 },
    );
    const server = run.server as NonNullable<typeof run.server>;
    const container = (await getContainerRuntimeClient()).container.getById(server.id);
    try {
      // a frozen server: connections stay open and nothing answers (as under a stuck engine)
      await container.pause();
      const started = performance.now();
      await run.teardown();
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(lines).toHaveLength(1);
      // the broker stops at once when it has nothing in flight; the drops then wait on the server
      expect(lines[0]).toMatch(
        /cleanup did not finish within 1\.5 s \(still (stopping the clone broker|dropping the run's clones)\)/,
      );
      expect(lines[0]).toContain('npx timescale-testkit prune');
    } finally {
      await container.unpause().catch(() => undefined);
      await server.stop({ remove: true }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
