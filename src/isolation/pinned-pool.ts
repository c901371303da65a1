import type pg from 'pg';
import { TestEndedError } from './ended.js';
import { TransactionModeError } from './errors.js';
import {
  BorrowedPool,
  backendPid,
  connectStyle,
  noop,
  type QueryArgs,
  send,
  stripCallback,
  textOf,
  withCallback,
} from './pool-shim.js';
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
 * Whether the connection is in a transaction that has not failed ('T' in its last
 * ReadyForQuery). pg rejects a failed query as soon as the error arrives, which may be before
 * the ReadyForQuery that says 'E': the status counts only once the connection is ready again.
 */
function inHealthyTransaction(client: pg.PoolClient): boolean {
  const state = client as { readyForQuery?: boolean; getTransactionStatus?: () => string | null };
  return state.readyForQuery === true && state.getTransactionStatus?.() === 'T';
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const COMMIT = /^\s*(COMMIT|END)\b/i;
const ROLLBACK = /^\s*(ROLLBACK|ABORT)\s*(WORK|TRANSACTION)?\s*;?\s*$/i;

/**
 * Per test connection, what is still to be sent ahead of the next statement: the test's BEGIN
 * (until its first statement), and the savepoint to release (a succeeded autocommit
 * statement's, or a committed application transaction's), if any.
 */
interface Pending {
  begin: boolean;
  open: string | undefined;
}

/** What COMMIT answers when its RELEASE goes out with the next statement. */
function committed(): pg.QueryResult {
  return { command: 'COMMIT', rowCount: null, oid: 0, rows: [], fields: [] };
}

/**
 * Runs statements on the pinned connection the way a real session would: each autocommit
 * statement in its own savepoint (an error undoes only that statement), and the
 * application's BEGIN / COMMIT / ROLLBACK as SAVEPOINT / RELEASE / ROLLBACK TO. A statement
 * that succeeded keeps its savepoint until the next statement, whose savepoint is taken in the
 * same round trip as that release: two round trips per statement instead of three. A COMMIT
 * of a healthy outermost transaction is answered at once and its RELEASE goes out the same way.
 */
class SavepointScope {
  depth = 0;
  constructor(
    private readonly client: pg.PoolClient,
    private readonly pending: Pending,
  ) {}

  /** `sql`, after what is pending (the test's BEGIN, a RELEASE), in the same round trip. */
  async #afterPending(sql: string): Promise<pg.QueryResult> {
    const { begin, open } = this.pending;
    if (!begin && open === undefined) return this.client.query(sql);
    this.pending.begin = false;
    this.pending.open = undefined;
    const results: unknown = await this.client.query(
      `${begin ? 'BEGIN; ' : ''}${open === undefined ? '' : `RELEASE SAVEPOINT ${open}; `}${sql}`,
    );
    return (Array.isArray(results) ? results[results.length - 1] : results) as pg.QueryResult;
  }

  async run(args: QueryArgs): Promise<pg.QueryResult> {
    const text = textOf(args);
    if (BEGIN.test(text)) {
      this.depth++;
      return this.#afterPending(`SAVEPOINT tk_tx_${this.depth}`);
    }
    if (COMMIT.test(text)) return this.depth === 0 ? this.client.query('SELECT 1 WHERE false') : this.commit();
    if (ROLLBACK.test(text)) return this.depth === 0 ? this.client.query('SELECT 1 WHERE false') : this.rollback();
    if (this.depth > 0) return send(this.client, args);
    await this.#afterPending('SAVEPOINT tk_stmt');
    try {
      const value = await send(this.client, args);
      this.pending.open = 'tk_stmt';
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT tk_stmt; RELEASE SAVEPOINT tk_stmt').catch(noop);
      throw error;
    }
  }

  async commit(): Promise<pg.QueryResult> {
    const name = `tk_tx_${this.depth}`;
    this.depth--;
    // RELEASE cannot fail in a healthy transaction (a failed one rolls back below, now)
    if (this.depth === 0 && inHealthyTransaction(this.client)) {
      this.pending.open = name;
      return committed();
    }
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
  constructor(client: pg.PoolClient, waitMs = 5_000, pending: Pending = { begin: false, open: undefined }) {
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
    try {
      return await new SavepointScope(this.#client, this.#pending).run(args);
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
  const pending: Pending = { begin: true, open: undefined };
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
