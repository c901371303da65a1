import { test as base, inject } from 'vitest';
import type { Factories } from '../domain/index.js';
import { TimescaleTestkitError } from '../errors/index.js';
import { FileScope, type HandOver, prefetchClone, type TestScope } from '../harness/index.js';
import type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';

function handOver(): HandOver {
  const data = inject('timescaleTestkit') as HandOver | undefined;
  if (!data) {
    throw new TimescaleTestkitError(
      'NOT_SET_UP',
      "timescale-testkit's global setup did not run: add globalSetup: ['timescale-testkit/vitest/global-setup'] to the vitest config.",
    );
  }
  return data;
}

const ignore = (): void => undefined;

// the file's clone is claimed (and connected to) while vitest collects the file's tests
const early = inject('timescaleTestkit') as HandOver | undefined;
if (early) prefetchClone(early);

export interface TestkitFixtures {
  /** The test's database: `db.pool` for application code, isolated per the `isolation` option. */
  db: IsolatedDatabase;
  /** Per-test isolation; override per file or block with `test.override({ isolation: 'truncate' })`. */
  isolation: IsolationMode;
  /** The trading-domain factories bound to `db`; their seed is printed when the test fails. */
  factories: Factories;
}

interface FileFixtures {
  testkitFile: FileScope;
  testkitTest: TestScope;
}

/**
 * Vitest `test` with timescale-testkit fixtures: each file gets its own clone of the migrated
 * template, each test its own transaction (or a truncation afterwards).
 *
 * @example
 * ```ts
 * test('fills an order', async ({ db, factories }) => {
 *   const order = await factories.order.create({ status: 'NEW' })
 *   await fillOrder(db.pool, order.id)
 * })
 * describe('with committed writes', () => {
 *   test.override({ isolation: 'truncate' }) // this block's tests (at the top: the file's)
 *   test('runs CREATE INDEX CONCURRENTLY', async ({ db }) => { ... })
 * })
 * ```
 */
export const test = base.extend<TestkitFixtures & FileFixtures>({
  testkitFile: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const file = new FileScope(handOver());
      // a worker that runs file after file claims the next file's clone while this one runs
      if (handOver().workerRunsManyFiles) file.ready().then(() => prefetchClone(handOver()), ignore);
      try {
        await use(file);
      } finally {
        await file.end();
      }
    },
    { scope: 'file' },
  ],
  isolation: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
    async ({}, use) => {
      await use(handOver().isolation);
    },
    { scope: 'test' },
  ],
  testkitTest: async ({ testkitFile, isolation, task }, use) => {
    const scope = await testkitFile.beginTest(isolation);
    await use(scope);
    await scope.end({ name: task.name, failed: task.result?.state === 'fail' });
  },
  db: async ({ testkitTest }, use) => {
    await use(testkitTest.db);
  },
  factories: async ({ testkitTest }, use) => {
    await use(await testkitTest.factories());
  },
});

/** Alias of {@link test}. */
export const it = test;
export { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
export type { Factories } from '../domain/index.js';
export type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
