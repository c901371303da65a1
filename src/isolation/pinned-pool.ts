import type pg from 'pg';
import { TestEndedError } from './ended.js';
import { TransactionModeError } from './errors.js';
import {
  BorrowedPool,
  backendPid,
  connectStyle,
  noop,
  type QueryArgs,
  stripCallback,
  withCallback,
} from './pool-shim.js';
import { type Pending, SavepointScope } from './savepoint-scope.js';
import type { CancelBackends, Settled } from './tracked-pool.js';

/** One waiter at a time, with a bound: a second concurrent connection fails instead of hanging. */
class Turn {
  #tail: Promise<void> = Promise.resolve();
  /** Turns taken and not given back (the one running, and those waiting). */
  pending = 0;

  async take(waitMs: number): Promise<() => void> {
    let resolveMine: () => void = noop;
    const mine = new Promise<void>((resolve) => {
      resolveMine = resolve;
    });
    this.pending++;
    let given = false;
    const release = () => {
      if (given) return;
      given = true;
      this.pending--;
      resolveMine();
    };
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

/**
 * A pg.Pool whose every query and every `connect()` lands on one connection that sits in
 * a transaction the test rolls back. Application code that uses `pool.query`,
 * `pool.connect()` and BEGIN / COMMIT / ROLLBACK works unchanged.
 */
export class PinnedPool extends BorrowedPool {
  readonly #client: pg.PoolClient;
  readonly #turn = new Turn();
  readonly #waitMs: number;
  /** Leases handed out by connect() and not released yet, with the function that releases each. */
  readonly #leases = new Set<() => void>();
  readonly #pending: Pending;
  #ended = false;

  /** `pending.begin`: the test's BEGIN is still to be sent, with the first statement. */
  constructor(client: pg.PoolClient, waitMs = 5_000, pending: Pending = { begin: false, ahead: [] }) {
    super({ max: 1 });
    this.#client = client;
    this.#waitMs = waitMs;
    this.#pending = pending;
    const query = (...args: unknown[]) => withCallback(this.#query(stripCallback(args)), args);
    this.query = query as unknown as pg.Pool['query'];
  }

  async #query(args: QueryArgs): Promise<pg.QueryResult> {
    if (this.#ended) throw new TestEndedError();
    const release = await this.#turn.take(this.#waitMs);
    if (this.#ended) {
      release();
      throw new TestEndedError();
    }
    // one query of the pool is a checkout of its own: a transaction a script left open ends with it
    const scope = new SavepointScope(this.#client, this.#pending);
    try {
      return await scope.run(args);
    } finally {
      await scope.unwind().catch(noop);
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
    return connectStyle(this.#checkout(), callback);
  }

  async #checkout(): Promise<pg.PoolClient> {
    if (this.#ended) throw new TestEndedError();
    const release = await this.#turn.take(this.#waitMs);
    if (this.#ended) {
      release();
      throw new TestEndedError();
    }
    const scope = new SavepointScope(this.#client, this.#pending);
    let released = false;
    const lease = Object.create(this.#client) as pg.PoolClient;
    lease.query = ((...args: unknown[]) => {
      const run = this.#ended && !released ? Promise.reject(new TestEndedError()) : scope.run(stripCallback(args));
      return withCallback(run, args);
    }) as pg.PoolClient['query'];
    const giveBack = () => {
      if (released) return;
      released = true;
      this.#leases.delete(giveBack);
      scope.unwind().catch(noop).finally(release);
    };
    // in the test's transaction, as the connection will be once its BEGIN has gone out
    lease.getTransactionStatus = () => (this.#pending.begin ? 'T' : this.#client.getTransactionStatus());
    lease.release = giveBack;
    this.#leases.add(giveBack);
    return lease;
  }

  /**
   * Ends the test's use of the connection: no new statements, a running one cancelled, a lease
   * never released taken back. `stuck` when the connection is still busy after that (bounded):
   * the caller then closes it instead of rolling back on it.
   */
  async settle(cancel: CancelBackends, waitMs = 5_000): Promise<Settled & { stuck: boolean }> {
    this.#ended = true;
    const leaked = this.#leases.size;
    if (this.#turn.pending > 0) {
      const pid = backendPid(this.#client);
      if (pid !== undefined) await cancel([pid]);
    }
    for (const giveBack of [...this.#leases]) giveBack();
    try {
      const release = await this.#turn.take(waitMs);
      release();
      return { leaked, stuck: false };
    } catch {
      return { leaked, stuck: true };
    }
  }
}

/** The handle of one test's transaction. */
export interface TestTransaction {
  pool: PinnedPool;
  rollback(): Promise<void>;
  commit(): Promise<void>;
  /** Closes the connection without ROLLBACK (the server rolls back): for a connection that is stuck. */
  discard(): void;
}

/**
 * A transaction on a connection taken from `pool`; everything through the returned pool is
 * undone by rollback(). Its BEGIN goes out with the first statement (none: nothing is sent).
 */
export async function beginTestTransaction(pool: pg.Pool, waitMs?: number): Promise<TestTransaction> {
  const client = await pool.connect();
  // a checked-out client has no pool listener: a dropped connection must not crash the process
  const onError = () => undefined;
  client.on('error', onError);
  const pending: Pending = { begin: true, ahead: [] };
  let done = false;
  const finish = async (statement: 'ROLLBACK' | 'COMMIT') => {
    if (done) return;
    done = true;
    try {
      if (!pending.begin) await client.query(statement);
      client.off('error', onError);
      client.release();
    } catch (error) {
      client.off('error', onError);
      client.release(error as Error);
      throw error;
    }
  };
  const discard = () => {
    if (done) return;
    done = true;
    client.release(new Error('discarded at the end of the test'));
  };
  return {
    pool: new PinnedPool(client, waitMs, pending),
    rollback: () => finish('ROLLBACK'),
    commit: () => finish('COMMIT'),
    discard,
  };
}
