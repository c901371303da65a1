import type pg from 'pg';
import { cancelBackends } from './admin.js';
import { ClientNotReleasedError } from './ended.js';
import type { Template } from './template.js';
import type { TestDatabase } from './test-database.js';
import { TrackedPool } from './tracked-pool.js';
import { type TruncateOptions, type TruncateResult, truncateAll } from './truncate.js';

/** How each test is kept from seeing the previous one's rows. */
export type IsolationMode = 'transaction' | 'truncate' | 'none';
export const ISOLATION_MODES: readonly IsolationMode[] = ['transaction', 'truncate', 'none'];

/** What a test sees: its database, and a pool that honours the isolation mode. */
export interface IsolatedDatabase {
  readonly name: string;
  readonly connectionString: string;
  readonly isolation: IsolationMode;
  /** Hand this to application code; in transaction mode it pins the test's connection. */
  readonly pool: pg.Pool;
  /** The underlying clone. */
  readonly database: TestDatabase;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  exec(sql: string): Promise<void>;
  truncate(options?: TruncateOptions): Promise<TruncateResult>;
}

/**
 * The clone a test file works on. In truncate mode a failed test's clone can be kept:
 * the file then goes on with a fresh clone.
 */
export class FileClone {
  #current: Promise<TestDatabase>;

  constructor(private readonly template: Template) {
    this.#current = template.clone();
  }

  get current(): Promise<TestDatabase> {
    return this.#current;
  }

  /** Keeps the current clone (returns its URL) and moves the file on to a fresh one. */
  async keepAndReplace(): Promise<string> {
    const kept = await this.#current;
    const url = kept.keep();
    await kept.drop();
    this.#current = this.template.clone();
    return url;
  }

  async drop(): Promise<void> {
    await (await this.#current).drop();
  }
}

export interface TestOutcome {
  failed: boolean;
  keepFailed: boolean;
  /** The test's name, for messages. */
  test?: string;
}

export interface FinishedTest {
  /** URL of the database kept for inspection (a failed test with `keepFailed`). */
  kept: string | undefined;
  /** Something the test did wrong that did not fail it by itself (a client never released). */
  problem: Error | undefined;
}

export interface TestIsolation {
  db: IsolatedDatabase;
  /**
   * Ends the test, whether it passed, failed or timed out: cancels its running statements,
   * takes back clients it did not release, then undoes its writes (or keeps its database when
   * it failed and `keepFailed` is on). The next test starts clean.
   */
  finish(outcome: TestOutcome): Promise<FinishedTest>;
}

/** Opens one test's isolation on the file's clone according to `mode`. */
export async function isolateTest(file: FileClone, mode: IsolationMode): Promise<TestIsolation> {
  const database = await file.current;
  const transaction = mode === 'transaction' ? await database.begin() : undefined;
  const pool = transaction?.pool ?? new TrackedPool(database.pool);
  const db: IsolatedDatabase = {
    name: database.name,
    connectionString: database.connectionString,
    isolation: mode,
    pool,
    database,
    query: (text, values) => pool.query(text, values),
    exec: async (sql) => {
      await pool.query(sql);
    },
    truncate: (options) => truncateAll(pool, options),
  };
  return {
    db,
    async finish({ failed, keepFailed, test }) {
      const settled = await pool.settle((pids) => cancelBackends(database.connectionString, pids));
      const stuck = 'stuck' in settled && settled.stuck;
      const problem = settled.leaked > 0 ? new ClientNotReleasedError(test, settled.leaked) : undefined;
      if (stuck) transaction?.discard();
      if (failed && keepFailed && mode !== 'none') {
        if (!stuck) await transaction?.commit();
        return { kept: await file.keepAndReplace(), problem };
      }
      if (transaction && !stuck) await transaction.rollback();
      else if (mode === 'truncate') await truncateAll(database.pool, { onlyDirty: true });
      return { kept: undefined, problem };
    },
  };
}
