import type pg from 'pg';
import type { Template } from './template.js';
import type { TestDatabase } from './test-database.js';
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
export class FileDatabase {
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

export interface TestSession {
  db: IsolatedDatabase;
  /** Ends the test: undo its writes, or keep its database when it failed and `keepFailed` is on. */
  finish(outcome: { failed: boolean; keepFailed: boolean }): Promise<string | undefined>;
}

/** Opens one test's session on the file's clone according to `mode`. */
export async function openTestSession(file: FileDatabase, mode: IsolationMode): Promise<TestSession> {
  const database = await file.current;
  const transaction = mode === 'transaction' ? await database.begin() : undefined;
  const pool = transaction?.pool ?? database.pool;
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
    async finish({ failed, keepFailed }) {
      if (failed && keepFailed && mode !== 'none') {
        await transaction?.commit();
        return file.keepAndReplace();
      }
      if (transaction) await transaction.rollback();
      else if (mode === 'truncate') await truncateAll(database.pool, { onlyDirty: true });
      return undefined;
    },
  };
}
