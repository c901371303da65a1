import type pg from 'pg';
import { createPool } from '../connection/index.js';
import type { PoolSize } from '../container/index.js';
import { beginTestTransaction, type TestTransaction } from './pinned-pool.js';
import { forgetTables, type TruncateOptions, type TruncateResult, truncateAll } from './truncate.js';

export interface TestDatabaseInit {
  name: string;
  connectionString: string;
  template: string;
  pool?: PoolSize;
  release: (name: string, keep: boolean) => Promise<void>;
  /** A pool already opened on the database (warmed ahead of time); else one is made on first use. */
  openPool?: pg.Pool | undefined;
}

/** The pool of a clone: at most `max` connections (default 5), `min` kept open (default 0). */
export function clonePool(name: string, connectionString: string, size: PoolSize | undefined): pg.Pool {
  // a connection ended by the server (e.g. the database dropped at teardown) is not a test failure
  return createPool(
    { connectionString, max: size?.max ?? 5, min: size?.min ?? 0, idleTimeoutMillis: 60_000 },
    `clone ${name}`,
  );
}

/** A clone's pool with one connection already open: the first query does not pay for connecting. */
export async function warmPool(name: string, connectionString: string, size: PoolSize | undefined): Promise<pg.Pool> {
  const pool = clonePool(name, connectionString, size);
  try {
    (await pool.connect()).release();
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** A disposable database cloned from a migrated template. */
export class TestDatabase implements AsyncDisposable {
  readonly name: string;
  readonly connectionString: string;
  readonly template: string;
  readonly #init: TestDatabaseInit;
  #pool: pg.Pool | undefined;
  #dropped: Promise<void> | undefined;
  #kept = false;

  constructor(init: TestDatabaseInit) {
    this.#init = init;
    this.name = init.name;
    this.connectionString = init.connectionString;
    this.template = init.template;
  }

  /** A pg Pool on this database (default max 5, min 0), ended by {@link drop}. */
  get pool(): pg.Pool {
    this.#pool ??= this.#init.openPool ?? clonePool(this.name, this.connectionString, this.#init.pool);
    return this.#pool;
  }

  get dropped(): boolean {
    return this.#dropped !== undefined;
  }

  get kept(): boolean {
    return this.#kept;
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /** Runs a script of one or more statements (no parameters), e.g. setup SQL. */
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
    forgetTables(this.pool);
  }

  /** Empties the user tables; see {@link truncateAll}. */
  truncate(options: TruncateOptions = {}): Promise<TruncateResult> {
    return truncateAll(this.pool, options);
  }

  /** Opens a transaction that {@link TestTransaction.rollback} undoes; its pool pins one connection. */
  begin(waitMs?: number): Promise<TestTransaction> {
    return beginTestTransaction(this.pool, waitMs);
  }

  /** Keep this database after the run (e.g. a failed test's) and return its URL. */
  keep(): string {
    this.#kept = true;
    return this.connectionString;
  }

  /** Ends the pool and hands the database back to be dropped in the background. Idempotent. */
  drop(): Promise<void> {
    this.#dropped ??= (async () => {
      // the warmed pool is ended too when the database was never queried
      await (this.#pool ?? this.#init.openPool)?.end();
      await this.#init.release(this.name, this.#kept);
    })();
    return this.#dropped;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.drop();
  }
}
