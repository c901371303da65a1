import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
