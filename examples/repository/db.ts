import pg from 'pg';
import { ConstraintViolationError, NotFoundError } from './errors.js';

/** Anything that runs a query: the pool, or a client checked out of it for a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Turns constraint violations (SQLSTATE class 23) into ConstraintViolationError; anything else passes. */
export function translateError(entity: string, error: unknown): unknown {
  if (error instanceof pg.DatabaseError && error.code?.startsWith('23')) {
    return new ConstraintViolationError(entity, error.code, error.constraint, error.message, error);
  }
  return error;
}

/** Runs one parameterised statement and returns its rows; constraint violations come back typed. */
export async function query<R extends pg.QueryResultRow>(
  db: Queryable,
  entity: string,
  text: string,
  values: readonly unknown[] = [],
): Promise<R[]> {
  try {
    const result = await db.query<R>(text, [...values]);
    return result.rows;
  } catch (error) {
    throw translateError(entity, error);
  }
}

/** The single row of `rows`, or NotFoundError for `entity` `id`. */
export function one<R>(rows: readonly R[], entity: string, id: string): R {
  const [row] = rows;
  if (row === undefined) throw new NotFoundError(entity, id);
  return row;
}

/**
 * Runs `work` inside BEGIN/COMMIT on one client of the pool, ROLLBACK on any error.
 * (Under the kit's per-test transaction mode these statements become savepoints.)
 * A client whose connection failed is destroyed instead of going back to the pool.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no error listener of the pool's: without ours a dropped connection
  // would be an uncaught 'error' event. It stays on a broken client, which is discarded anyway.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(onError);
    throw error;
  } finally {
    if (broken === undefined) client.off('error', onError);
    client.release(broken);
  }
}

/** Runs one parameterised statement for its effect and returns the number of rows it touched. */
export async function execute(
  db: Queryable,
  entity: string,
  text: string,
  values: readonly unknown[] = [],
): Promise<number> {
  try {
    const result = await db.query(text, [...values]);
    return result.rowCount ?? 0;
  } catch (error) {
    throw translateError(entity, error);
  }
}
