import { after, afterEach, before, beforeEach, type SuiteContext, type TestContext } from 'node:test';
import { registerTestDatabase, type TestDatabaseHandle, type TestDatabaseOptions } from '../harness/index.js';

/**
 * Registers node:test hooks for one test file: a clone of the migrated template for the file,
 * and isolation per test (a rolled-back transaction, or a truncation afterwards). Call it at the
 * top of a test file; `db` (and `factories`) are valid inside its tests and their hooks.
 *
 * @example
 * // node --test --test-global-setup=./node_modules/timescale-testkit/dist/node-test/global-setup.js
 * import { test } from 'node:test'
 * import { useTestDatabase } from 'timescale-testkit/node-test'
 * const testkit = useTestDatabase({ factories: true })
 * test('fills an order', async () => {
 *   const order = await testkit.factories.order.create({ status: 'NEW' })
 *   await fillOrder(testkit.db.pool, order.id)
 * })
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): TestDatabaseHandle {
  return registerTestDatabase<TestContext | SuiteContext>(
    {
      beforeAll: (fn) => before(fn),
      afterAll: (fn) => after(fn),
      beforeEach: (fn) => beforeEach((context) => fn(context)),
      afterEach: (fn) => afterEach((context) => fn(context)),
      // Node 24 reports the outcome on the context (`passed`, not in @types/node yet)
      ended: (context) => ({ name: context.name, failed: (context as { passed?: unknown }).passed === false }),
      setupHint: 'run node --test --test-global-setup=<timescale-testkit>/dist/node-test/global-setup.js',
    },
    options,
  );
}

export type { TestDatabaseHandle, TestDatabaseOptions } from '../harness/index.js';
export type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
