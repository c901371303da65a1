import { test as base, inject } from 'vitest';
import type { Factories } from '../domain/index.js';
import { TimescaleTestkitError } from '../errors.js';
import { attachRun, type HandOver } from '../harness/index.js';
import { FileDatabase, type IsolatedDatabase, type IsolationMode, openTestSession } from '../isolation/index.js';

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

export interface TestkitFixtures {
  /** The test's database: `db.pool` for application code, isolated per the `isolation` option. */
  db: IsolatedDatabase;
  /** Per-test isolation; override per file or block with `test.override({ isolation: 'truncate' })`. */
  isolation: IsolationMode;
  /** The trading-domain factories bound to `db`; their seed is printed when the test fails. */
  factories: Factories;
}

interface FileFixtures {
  testkitFile: FileDatabase;
}

/**
 * Vitest `test` with timescale-testkit fixtures: each file gets its own clone of the migrated
 * template, each test its own transaction (or a truncation afterwards).
 */
export const test = base.extend<TestkitFixtures & FileFixtures>({
  testkitFile: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const file = new FileDatabase(attachRun(handOver()));
      try {
        await use(file);
      } finally {
        await file.drop();
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
  db: async ({ testkitFile, isolation, task }, use) => {
    const session = await openTestSession(testkitFile, isolation);
    await use(session.db);
    const failed = task.result?.state === 'fail';
    const kept = await session.finish({ failed, keepFailed: handOver().keepFailed });
    if (kept) console.error(`timescale-testkit: kept the database of failed test "${task.name}": ${kept}`);
  },
  factories: async ({ db, task }, use) => {
    const seed = handOver().seed;
    // loaded on first use: a test file that never asks for `factories` does not load faker
    const { createFactories } = await import('../domain/index.js');
    const factories = createFactories(db, seed === undefined ? {} : { seed });
    await use(factories);
    if (task.result?.state === 'fail') {
      console.error(
        `timescale-testkit: factories seed of failed test "${task.name}": ${factories.seed} ` +
          `(replay with TIMESCALE_TESTKIT_SEED=${factories.seed})`,
      );
    }
  },
});

/** Alias of {@link test}. */
export const it = test;
export { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
export type { Factories } from '../domain/index.js';
export type { IsolatedDatabase, IsolationMode } from '../isolation/index.js';
