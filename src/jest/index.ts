import { TimescaleTestkitError } from '../errors/index.js';
import { FileScope, HANDOVER_ENV, type HandOver, type TestScope } from '../harness/index.js';
import type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';

type Hook = (fn: () => Promise<void>, timeout?: number) => void;
interface JestGlobals {
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

function handOver(): HandOver {
  const raw = process.env[HANDOVER_ENV];
  if (!raw) {
    throw new TimescaleTestkitError(
      'NOT_SET_UP',
      "timescale-testkit's jest global setup did not run: set globalSetup: 'timescale-testkit/jest/global-setup' and " +
        "globalTeardown: 'timescale-testkit/jest/global-teardown' in the jest config.",
    );
  }
  return JSON.parse(raw) as HandOver;
}

export interface UseTestDatabaseOptions {
  /** Per-test isolation (default: the run's, `transaction` unless configured). */
  isolation?: IsolationMode;
  /** Hook timeout in ms (default 60 000). */
  timeoutMs?: number;
}

/** Handle returned by {@link useTestDatabase}; `db` is valid inside tests and test hooks. */
export interface TestDatabaseHandle {
  readonly db: IsolatedDatabase;
}

/**
 * Registers jest hooks for one test file: a clone of the migrated template for the file,
 * and isolation per test (a rolled-back transaction, or a truncation afterwards).
 */
export function useTestDatabase(options: UseTestDatabaseOptions = {}): TestDatabaseHandle {
  const hooks = globalThis as unknown as Partial<JestGlobals>;
  const { beforeAll, afterAll, beforeEach, afterEach } = hooks;
  if (!beforeAll || !afterAll || !beforeEach || !afterEach) {
    throw new TimescaleTestkitError('NOT_IN_JEST', 'useTestDatabase() must be called inside a jest test file.');
  }
  const timeout = options.timeoutMs ?? 60_000;
  let file: FileScope | undefined;
  let scope: TestScope | undefined;
  beforeAll(async () => {
    file = new FileScope(handOver());
    await file.ready();
  }, timeout);
  beforeEach(async () => {
    scope = await (file as FileScope).beginTest(options.isolation);
  }, timeout);
  afterEach(async () => {
    const ending = scope;
    scope = undefined;
    await ending?.end({ name: currentTestName(), failed: false });
  }, timeout);
  afterAll(async () => {
    await file?.end();
  }, timeout);
  return {
    get db(): IsolatedDatabase {
      if (!scope) throw new TimescaleTestkitError('NO_SESSION', 'db is only available inside a test or its hooks.');
      return scope.db;
    },
  };
}

function currentTestName(): string {
  const expect = (globalThis as { expect?: { getState?: () => { currentTestName?: string } } }).expect;
  return expect?.getState?.().currentTestName ?? 'unknown test';
}

export type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
