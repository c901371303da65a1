import { TimescaleTestkitError } from '../errors/index.js';
import {
  registerTestDatabase,
  type TestDatabaseHandle,
  type TestDatabaseOptions,
  type TestEnd,
} from '../harness/index.js';
import { FAILED } from './failed.js';

type Hook = (fn: () => Promise<void>, timeout?: number) => void;
interface JestGlobals {
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
  expect?: { getState?: () => { currentTestName?: string } };
}

export interface UseTestDatabaseOptions extends TestDatabaseOptions {
  /** Timeout of the kit's hooks in ms (default 60 000). */
  timeoutMs?: number;
}

let warned = false;

/** The test that just ended: its name from jest's `expect` state, its outcome from the kit's environment. */
function ended(jest: JestGlobals): TestEnd {
  const name = jest.expect?.getState?.().currentTestName ?? 'unknown test';
  const failed = (globalThis as Record<symbol, unknown>)[FAILED];
  if (failed === undefined && !warned) {
    warned = true;
    console.warn(
      "timescale-testkit: jest runs without the kit's test environment, so a failed test's database is not kept " +
        "and its factories seed not printed: use preset: 'timescale-testkit' (or testEnvironment: " +
        "'timescale-testkit/jest/environment').",
    );
  }
  return { name, failed: failed === true };
}

/**
 * Registers jest hooks for one test file: a clone of the migrated template for the file, and
 * isolation per test (a rolled-back transaction, or a truncation afterwards). Call it at the
 * top of a test file; `db` (and `factories`) are valid inside its tests and their hooks.
 *
 * @example
 * // jest.config.js: module.exports = { preset: 'timescale-testkit' }
 * const { useTestDatabase } = require('timescale-testkit/jest')
 * const testkit = useTestDatabase({ factories: true })
 * test('fills an order', async () => {
 *   const order = await testkit.factories.order.create({ status: 'NEW' })
 *   await fillOrder(testkit.db.pool, order.id)
 * })
 */
export function useTestDatabase(options: UseTestDatabaseOptions = {}): TestDatabaseHandle {
  const jest = globalThis as unknown as Partial<JestGlobals>;
  const { beforeAll, afterAll, beforeEach, afterEach } = jest;
  if (!beforeAll || !afterAll || !beforeEach || !afterEach) {
    throw new TimescaleTestkitError('NOT_IN_JEST', 'useTestDatabase() must be called inside a jest test file.');
  }
  const timeout = options.timeoutMs ?? 60_000;
  return registerTestDatabase(
    {
      beforeAll: (fn) => beforeAll(fn, timeout),
      afterAll: (fn) => afterAll(fn, timeout),
      beforeEach: (fn) => beforeEach(() => fn(undefined), timeout),
      afterEach: (fn) => afterEach(() => fn(undefined), timeout),
      ended: () => ended(jest as JestGlobals),
      setupHint: "set preset: 'timescale-testkit' in the jest config",
    },
    options,
  );
}

export type { TestDatabaseHandle } from '../harness/index.js';
export type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
