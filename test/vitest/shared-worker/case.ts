import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { describe, expect, test } from '../../../src/vitest/index.js';

declare global {
  var sharedWorkerFiles: number | undefined;
}

/**
 * One file of the shared-worker run: it must start on a clean clone of its own although files
 * before it in the same worker left rows behind (isolation 'none'), and report what it saw.
 */
export function sharedWorkerCase(file: string): void {
  globalThis.sharedWorkerFiles = (globalThis.sharedWorkerFiles ?? 0) + 1;
  const filesInWorker = globalThis.sharedWorkerFiles;

  describe('kept writes', () => {
    test.override({ isolation: 'none' });
    test('starts on a clean clone of its own, and leaves a row behind', async ({ db, factories }) => {
      const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
      expect(before.rows[0]?.n).toBe(0);
      await factories.order.create({ status: 'NEW' });
      const database = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d;
      const line = { file, database, worker: `${process.pid}:${threadId}`, filesInWorker };
      appendFileSync(process.env.SHARED_WORKER_LOG ?? '', `${JSON.stringify(line)}\n`);
    });
  });

  test('isolates its tests by transaction on the same clone', async ({ db, factories }) => {
    await factories.order.createList(3);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(rows[0]?.n).toBe(4);
  });

  test('sees the rollback of the test before', async ({ db }) => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(rows[0]?.n).toBe(1);
  });
}
