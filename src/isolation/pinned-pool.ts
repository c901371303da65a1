import pg from 'pg';
import { TransactionModeError } from './errors.js';

type QueryArgs = [string | pg.QueryConfig, unknown[]?];
type Callback = (error: Error | null, result?: pg.QueryResult) => void;
const noop = () => undefined;

/** One waiter at a time, with a bound: a second concurrent connection fails instead of hanging. */
class Turn {
  #tail: Promise<void> = Promise.resolve();

  async take(waitMs: number): Promise<() => void> {
    let release: () => void = noop;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), waitMs);
    });
    const outcome = await Promise.race([before.then(() => 'ok' as const), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      void before.then(release);
      throw new TransactionModeError(
        `In transaction isolation every query of a test runs on one connection, and a second one was ` +
          `wanted while the first was still checked out (waited ${waitMs} ms). Code that needs two ` +
          'connections at once (a client held across a pool.query, one session waiting on a lock held by ' +
          "another, LISTEN/NOTIFY) cannot work in this mode: use isolation 'truncate' for this test.",
      );
    }
    return release;
  }
}

function textOf([first]: QueryArgs): string {
  return typeof first === 'string' ? first : first.text;
}

function send(client: pg.PoolClient, [first, values]: QueryArgs): Promise<pg.QueryResult> {
  return typeof first === 'string' ? client.query(first, values) : client.query(first, values);
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const COMMIT = /^\s*(COMMIT|END)\b/i;
const ROLLBACK = /^\s*(ROLLBACK|ABORT)\s*(WORK|TRANSACTION)?\s*;?\s*$/i;

/**
 * Runs statements on the pinned connection the way a real session would: each autocommit
 * statement in its own savepoint (an error undoes only that statement), and the
 * application's BEGIN / COMMIT / ROLLBACK as SAVEPOINT / RELEASE / ROLLBACK TO.
 */
class Session {
  depth = 0;
  constructor(private readonly client: pg.PoolClient) {}

  async run(args: QueryArgs): Promise<pg.QueryResult> {
    const text = textOf(args);
    if (BEGIN.test(text)) {
      this.depth++;
      return this.client.query(`SAVEPOINT tk_tx_${this.depth}`);
    }
    if (COMMIT.test(text)) return this.depth === 0 ? this.client.query('SELECT 1 WHERE false') : this.commit();
    if (ROLLBACK.test(text)) return this.depth === 0 ? this.client.query('SELECT 1 WHERE false') : this.rollback();
    if (this.depth > 0) return send(this.client, args);
    await this.client.query('SAVEPOINT tk_stmt');
    try {
      const value = await send(this.client, args);
      await this.client.query('RELEASE SAVEPOINT tk_stmt');
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT tk_stmt; RELEASE SAVEPOINT tk_stmt').catch(noop);
      throw error;
    }
  }

  async commit(): Promise<pg.QueryResult> {
    const name = `tk_tx_${this.depth}`;
    this.depth--;
    try {
      return await this.client.query(`RELEASE SAVEPOINT ${name}`);
    } catch (error) {
      // COMMIT of a failed transaction rolls it back, as PostgreSQL does
      if ((error as { code?: string }).code !== '25P02') throw error;
      this.depth++;
      return this.rollback();
    }
  }

  async rollback(): Promise<pg.QueryResult> {
    const name = `tk_tx_${this.depth}`;
    this.depth--;
    const results: unknown = await this.client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
    return (Array.isArray(results) ? results[0] : results) as pg.QueryResult;
  }

  /** Undo an application transaction left open when its client is released. */
  async unwind(): Promise<void> {
    while (this.depth > 0) await this.rollback();
  }
}

function withCallback(promise: Promise<pg.QueryResult>, args: readonly unknown[]): Promise<pg.QueryResult> | undefined {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return promise;
  promise.then(
    (result) => (last as Callback)(null, result),
    (error: Error) => (last as Callback)(error),
  );
  return undefined;
}

function stripCallback(args: readonly unknown[]): QueryArgs {
  return (typeof args[args.length - 1] === 'function' ? args.slice(0, -1) : args) as QueryArgs;
}

/**
 * A pg.Pool whose every query and every `connect()` lands on one connection that sits in
 * a transaction the test rolls back. Application code that uses `pool.query`,
 * `pool.connect()` and BEGIN / COMMIT / ROLLBACK works unchanged.
 */
export class PinnedPool extends pg.Pool {
  readonly #client: pg.PoolClient;
  readonly #turn = new Turn();
  readonly #waitMs: number;

  constructor(client: pg.PoolClient, waitMs = 5_000) {
    super({ max: 1 });
    this.#client = client;
    this.#waitMs = waitMs;
    const query = (...args: unknown[]) => withCallback(this.#query(stripCallback(args)), args);
    this.query = query as unknown as pg.Pool['query'];
  }

  async #query(args: QueryArgs): Promise<pg.QueryResult> {
    const release = await this.#turn.take(this.#waitMs);
    try {
      return await new Session(this.#client).run(args);
    } finally {
      release();
    }
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void,
  ): Promise<pg.PoolClient> | undefined {
    const checkout = this.#checkout();
    if (!callback) return checkout;
    checkout.then(
      (client) => callback(undefined, client, () => client.release()),
      (error: Error) => callback(error, undefined, noop),
    );
    return undefined;
  }

  async #checkout(): Promise<pg.PoolClient> {
    const release = await this.#turn.take(this.#waitMs);
    const session = new Session(this.#client);
    let released = false;
    const lease = Object.create(this.#client) as pg.PoolClient;
    lease.query = ((...args: unknown[]) =>
      withCallback(session.run(stripCallback(args)), args)) as pg.PoolClient['query'];
    lease.release = () => {
      if (released) return;
      released = true;
      session.unwind().catch(noop).finally(release);
    };
    return lease;
  }

  /** The kit owns the connection: ending this pool is a no-op. */
  override end(): Promise<void>;
  override end(callback: () => void): void;
  override end(callback?: () => void): Promise<void> | undefined {
    if (callback) {
      callback();
      return undefined;
    }
    return Promise.resolve();
  }
}

/** The handle of one test's transaction. */
export interface TestTransaction {
  pool: PinnedPool;
  rollback(): Promise<void>;
  commit(): Promise<void>;
}

/** BEGIN on a connection taken from `pool`; everything through the returned pool is undone by rollback(). */
export async function beginTestTransaction(pool: pg.Pool, waitMs?: number): Promise<TestTransaction> {
  const client = await pool.connect();
  // a checked-out client has no pool listener: a dropped connection must not crash the process
  const onError = () => undefined;
  client.on('error', onError);
  await client.query('BEGIN');
  let done = false;
  const finish = async (statement: 'ROLLBACK' | 'COMMIT') => {
    if (done) return;
    done = true;
    try {
      await client.query(statement);
      client.off('error', onError);
      client.release();
    } catch (error) {
      client.off('error', onError);
      client.release(error as Error);
      throw error;
    }
  };
  return { pool: new PinnedPool(client, waitMs), rollback: () => finish('ROLLBACK'), commit: () => finish('COMMIT') };
}
