import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { TestEndedError } from './ended.js';
import {
  BorrowedPool,
  backendPid,
  connectStyle,
  type QueryArgs,
  send,
  stripCallback,
  withCallback,
} from './pool-shim.js';

/** Cancels the running statement of these server processes (from a connection of its own). */
export type CancelBackends = (pids: readonly number[]) => Promise<void>;

/** What a test left behind on its pool when it ended. */
export interface Settled {
  /** Clients the test checked out and never released (closed by the kit). */
  leaked: number;
}

const SETTLE_MS = 5_000;

/**
 * The pool a test sees in `truncate` and `none` isolation: the file's clone pool, with every
 * checkout known, so that when the test ends (passed, failed or timed out) its running queries
 * are cancelled and clients it never released are taken back — the next test starts clean
 * and the run never hangs on a connection nobody returns.
 */
export class TrackedPool extends BorrowedPool {
  readonly #base: pg.Pool;
  /**
   * Checked-out clients: `explicit` ones came from connect(), the others run one query();
   * `release` is the pool's own (the test's client gets one that goes through this pool).
   */
  readonly #out = new Map<pg.PoolClient, { explicit: boolean; release: pg.PoolClient['release'] }>();
  #ended = false;

  constructor(base: pg.Pool) {
    super(base.options);
    this.#base = base;
    // the file's pool runs the queries: its counts are the ones that mean something (pg declares
    // them as properties, so they are redefined here rather than overridden)
    for (const name of ['totalCount', 'idleCount', 'waitingCount', 'expiredCount'] as const) {
      Object.defineProperty(this, name, { get: () => base[name], configurable: true });
    }
    const query = (...args: unknown[]) => withCallback(this.#query(stripCallback(args)), args);
    this.query = query as unknown as pg.Pool['query'];
  }

  async #acquire(explicit: boolean): Promise<pg.PoolClient> {
    if (this.#ended) throw new TestEndedError();
    const client = await this.#base.connect();
    if (this.#ended) {
      client.release();
      throw new TestEndedError();
    }
    const release = client.release;
    this.#out.set(client, { explicit, release });
    // pg-pool sets a new release() at every checkout, so replacing it here is safe
    client.release = (error?: Error | boolean) => this.#return(client, error);
    return client;
  }

  #return(client: pg.PoolClient, error?: Error | boolean): void {
    const entry = this.#out.get(client);
    if (!entry) return;
    this.#out.delete(client);
    entry.release(error);
  }

  async #query(args: QueryArgs): Promise<pg.QueryResult> {
    const client = await this.#acquire(false);
    try {
      return await send(client, args);
    } finally {
      this.#return(client);
    }
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void,
  ): Promise<pg.PoolClient> | undefined {
    return connectStyle(this.#acquire(true), callback);
  }

  /**
   * Ends the test's use of the pool: no new checkouts, running statements cancelled, queries in
   * flight allowed to finish (bounded), clients never released closed. Returns how many leaked.
   */
  async settle(cancel: CancelBackends): Promise<Settled> {
    this.#ended = true;
    if (this.#out.size === 0) return { leaked: 0 };
    const pids = [...this.#out.keys()].map(backendPid).filter((pid): pid is number => pid !== undefined);
    await cancel(pids);
    const leaked = [...this.#out].filter(([, { explicit }]) => explicit).map(([client]) => client);
    // closing the connection ends its session: the server rolls back its open transaction
    for (const client of leaked) this.#return(client, new Error('not released by the test'));
    for (let waited = 0; this.#out.size > 0 && waited < SETTLE_MS; waited += 10) await sleep(10);
    for (const client of [...this.#out.keys()]) this.#return(client, new Error('still running at the end of the test'));
    return { leaked: leaked.length };
  }
}
