import pg from 'pg';

/** The smallest thing factories can run SQL on: pg.Pool, pg.Client, pg.PoolClient or a lookalike. */
export interface QueryFunction {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A connection pool (pg.Pool or compatible): `connect()` checks out one session. */
export interface PoolLike extends QueryFunction {
  connect(): Promise<QueryFunction & { release(error?: Error | boolean): void }>;
}

/**
 * Where factories write: a pg.Pool, pg.Client, pg.PoolClient, a connection string, an object
 * with a `pool` (the isolation layer's TestDatabase) or any object with `query(text, values)`.
 */
export type Queryable = string | QueryFunction | { readonly pool: PoolLike };

/** Rows come back as plain records; the kit casts every value to text and parses it itself. */
export type RawRow = Record<string, string | null>;

/** What the engine runs on: one normalised door over every kind of {@link Queryable}. */
export interface Executor {
  /** Identity for per-database caches. */
  readonly key: object | string;
  query(text: string, values?: unknown[]): Promise<RawRow[]>;
  /** Runs `work` on a single session (one connection), for transactions. */
  session<T>(work: (executor: Executor) => Promise<T>): Promise<T>;
  /** Ends a pool the kit opened itself (connection strings); otherwise a no-op. */
  end(): Promise<void>;
}

function isPool(value: QueryFunction): value is PoolLike {
  if (value instanceof pg.Pool) return true;
  const candidate = value as Partial<PoolLike> & { totalCount?: unknown };
  return typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number';
}

function single(key: object | string, target: QueryFunction): Executor {
  const executor: Executor = {
    key,
    query: async (text, values) => (await target.query(text, values)).rows as RawRow[],
    session: (work) => work(executor),
    end: async () => undefined,
  };
  return executor;
}

function pooled(key: object | string, pool: PoolLike, end: () => Promise<void>): Executor {
  return {
    key,
    query: async (text, values) => (await pool.query(text, values)).rows as RawRow[],
    session: async (work) => {
      const client = await pool.connect();
      try {
        return await work(single(key, client));
      } finally {
        client.release();
      }
    },
    end,
  };
}

/** Normalises a {@link Queryable}. A connection string gets its own small pool, ended by `end()`. */
export function toExecutor(db: Queryable): Executor {
  if (typeof db === 'string') {
    const pool = new pg.Pool({ connectionString: db, max: 2 });
    return pooled(db, pool, () => pool.end());
  }
  if ('pool' in db && typeof db.pool === 'object' && db.pool !== null) {
    // a test database handle: its catalog is the same for every test, so cache by its URL
    const url = (db as { connectionString?: unknown }).connectionString;
    return pooled(typeof url === 'string' ? url : db, db.pool, async () => undefined);
  }
  const target = db as QueryFunction;
  if (typeof target.query !== 'function') {
    throw new TypeError('createFactories: expected a pg Pool, Client, connection string or an object with query()');
  }
  return isPool(target) ? pooled(db, target, async () => undefined) : single(db, target);
}
