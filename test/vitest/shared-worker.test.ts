import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run } from '../support/build.js';
import { serverUrl } from '../support/server.js';

interface FileLine {
  file: string;
  database: string;
  worker: string;
  filesInWorker: number;
}

async function leftovers(runId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `tk\\_${runId}\\_%`,
    ]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

// vitest's faster settings: a worker runs file after file with the modules it loaded before
describe.each(['forks', 'threads'])('files sharing their worker (isolate: false, pool %s)', (pool) => {
  it('each start on a clean clone of their own, and the run leaves no database behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-shared-worker-'));
    const log = join(dir, 'files.jsonl');
    const runId = `sw${pool.slice(0, 2)}`;
    try {
      const env = childVitestEnv(serverUrl(), runId, { SHARED_WORKER_LOG: log, SHARED_WORKER_POOL: pool });
      const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
      await run(process.execPath, [vitest, 'run', '--config', 'test/vitest/shared-worker/vitest.config.ts'], {
        cwd: root,
        env,
      });
      const lines = (await readFile(log, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as FileLine);
      expect(lines.map((line) => line.file).sort()).toEqual([
        'file-1',
        'file-2',
        'file-3',
        'file-4',
        'file-5',
        'file-6',
      ]);
      expect(new Set(lines.map((line) => line.database)).size).toBe(6);
      expect(new Set(lines.map((line) => line.worker)).size).toBeLessThanOrEqual(2);
      expect(Math.max(...lines.map((line) => line.filesInWorker))).toBeGreaterThan(1);
      expect(await leftovers(runId)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
