import type pg from 'pg';

/** A database the kit handed out (a test's `db`, a `TestDatabase`): it stands for its pool. */
export interface DatabaseHandle {
  readonly pool: pg.Pool;
  readonly connectionString: string;
}

/**
 * Something to run SQL on, wherever the kit takes one (`migrate`, `truncateAll`,
 * `createFactories`): a connection string, a pg `Pool`, a pg `Client` or `PoolClient`, or a
 * database the kit handed out.
 */
export type SqlTarget = string | pg.Pool | pg.ClientBase | DatabaseHandle;

/** A pool or a client: what a {@link SqlTarget} runs on once a string has its own connection. */
export type Connection = pg.Pool | pg.ClientBase;

/** The handle's pool, or the target itself; undefined for a connection string. */
export function connectionOf(target: SqlTarget): Connection | undefined {
  if (typeof target === 'string') return undefined;
  if ('pool' in target && 'connectionString' in target && typeof target.connectionString === 'string') {
    return target.pool;
  }
  return target as Connection;
}
