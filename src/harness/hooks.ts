import type { Factories } from '../domain/index.js';
import { TimescaleTestkitError } from '../errors/index.js';
import type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
import { FileScope, type TestEnd, type TestScope } from './lifecycle.js';
import { HANDOVER_ENV, type HandOver, prefetchClone } from './run.js';

/** What a runner with before/after hooks offers (jest, node:test, mocha): the adapters fill it in. */
export interface RunnerHooks<Context> {
  beforeAll(fn: () => Promise<void>): void;
  afterAll(fn: () => Promise<void>): void;
  beforeEach(fn: (context: Context) => Promise<void>): void;
  afterEach(fn: (context: Context) => Promise<void>): void;
  /** The test that just ran, read in `afterEach`. */
  ended(context: Context): TestEnd;
  /** How the global setup is configured in this runner, for the error when it did not run. */
  setupHint: string;
}

export interface TestDatabaseOptions {
  /** Per-test isolation (default: the run's, `transaction` unless configured). */
  isolation?: IsolationMode;
  /**
   * Bind the trading-domain factories to every test's database (`testkit.factories`) and print
   * their seed when a test fails. Off by default: it loads faker into the test file.
   */
  factories?: boolean;
}

/** What a test file gets from `useTestDatabase()`: valid inside its tests and their hooks. */
export interface TestDatabaseHandle {
  /** The test's database: `db.pool` for your code, isolated per the `isolation` option. */
  readonly db: IsolatedDatabase;
  /** The trading-domain factories bound to `db` (with `useTestDatabase({ factories: true })`). */
  readonly factories: Factories;
}

/** The run's hand-over, which the global setup put in the environment of every test process. */
export function handOverFromEnv(setupHint: string): HandOver {
  const raw = process.env[HANDOVER_ENV];
  if (!raw) {
    throw new TimescaleTestkitError('NOT_SET_UP', `timescale-testkit's global setup did not run: ${setupHint}.`);
  }
  return JSON.parse(raw) as HandOver;
}

/**
 * Registers one test file's hooks: its clone of the migrated template, each test's isolation
 * opened before it and ended after it (cancelled statements, leaked clients taken back, writes
 * undone, a failed test's database kept with `keepFailed`), factories per test on request.
 */
export function registerTestDatabase<Context>(
  hooks: RunnerHooks<Context>,
  options: TestDatabaseOptions = {},
): TestDatabaseHandle {
  let file: FileScope | undefined;
  let scope: TestScope | undefined;
  let factories: Factories | undefined;
  // the file's clone is claimed while the runner collects its tests (nothing to do without a setup)
  if (process.env[HANDOVER_ENV]) prefetchClone(handOverFromEnv(hooks.setupHint));
  hooks.beforeAll(async () => {
    file = new FileScope(handOverFromEnv(hooks.setupHint));
    await file.ready();
  });
  hooks.beforeEach(async () => {
    scope = await (file as FileScope).beginTest(options.isolation);
    if (options.factories) factories = await scope.factories();
  });
  hooks.afterEach(async (context) => {
    const ending = scope;
    scope = undefined;
    factories = undefined;
    await ending?.end(hooks.ended(context));
  });
  hooks.afterAll(async () => {
    await file?.end();
  });
  const inTest = (what: string) =>
    new TimescaleTestkitError('NO_TEST', `${what} is only available inside a test or its beforeEach/afterEach hooks.`);
  return {
    get db(): IsolatedDatabase {
      if (!scope) throw inTest('testkit.db');
      return scope.db;
    },
    get factories(): Factories {
      if (!options.factories) {
        throw new TimescaleTestkitError(
          'NO_FACTORIES',
          'testkit.factories needs useTestDatabase({ factories: true }) (or createFactories(testkit.db)).',
        );
      }
      if (!factories) throw inTest('testkit.factories');
      return factories;
    },
  };
}
