import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, root, run, vitestBin } from '../support/build.js';
import { runDatabases, serverUrl } from '../support/server.js';

interface FileLine {
  file: string;
  database: string;
  worker: string;
  filesInWorker: number;
}

// vitest's faster settings: a worker runs file after file with the modules it loaded before
describe.each(['forks', 'threads'])('files sharing their worker (isolate: false, pool %s)', (pool) => {
  it('each start on a clean clone of their own, and the run leaves no database behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-shared-worker-'));
    const log = join(dir, 'files.jsonl');
    const runId = `sw${pool.slice(0, 2)}`;
    try {
      const env = childVitestEnv(serverUrl(), runId, { SHARED_WORKER_LOG: log, SHARED_WORKER_POOL: pool });
      await run(process.execPath, [vitestBin, 'run', '--config', 'test/vitest/shared-worker/vitest.config.ts'], {
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
      expect(await runDatabases(runId)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
