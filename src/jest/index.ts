import { TimescaleTestkitError } from '../errors.js';
import { attachRun, HANDOVER_ENV, type HandOver } from '../harness/index.js';
import {
  FileDatabase,
  type IsolatedDatabase,
  type IsolationMode,
  openTestSession,
  type TestSession,
} from '../isolation/index.js';

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
  let file: FileDatabase | undefined;
  let session: TestSession | undefined;
  beforeAll(async () => {
    file = new FileDatabase(attachRun(handOver()));
    await file.current;
  }, timeout);
  beforeEach(async () => {
    session = await openTestSession(file as FileDatabase, options.isolation ?? handOver().isolation);
  }, timeout);
  afterEach(async () => {
    await session?.finish({ failed: false, keepFailed: false });
    session = undefined;
  }, timeout);
  afterAll(async () => {
    await file?.drop();
  }, timeout);
  return {
    get db(): IsolatedDatabase {
      if (!session) throw new TimescaleTestkitError('NO_SESSION', 'db is only available inside a test or its hooks.');
      return session.db;
    },
  };
}

export type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
