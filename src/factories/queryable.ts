import { createHash } from 'node:crypto';
import pg from 'pg';
import { createPool, type SqlTarget } from '../connection/index.js';
import { type CopyTarget, canCopy, copyIn } from './copy-stream.js';

/** What the engine needs of a pool or client (pg.Pool, pg.Client, pg.PoolClient, a lookalike); hooks get one. */
export interface QueryRunner {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A connection pool (pg.Pool or compatible): `connect()` checks out one connection. */
export interface PoolLike extends QueryRunner {
  connect(): Promise<QueryRunner & { release(error?: Error | boolean): void }>;
}

/** Rows come back as plain records; the kit casts every value to text and parses it itself. */
export type RawRow = Record<string, string | null>;

/** What the engine runs on: one normalised door over every kind of {@link SqlTarget}. */
export interface Executor {
  /** Identity for per-database caches. */
  readonly key: object | string;
  /**
   * Names the schema this database was made from when several databases share it (the clones
   * of one template): what is read of the catalog once serves them all.
   */
  readonly shared?: string | undefined;
  query(text: string, values?: unknown[]): Promise<RawRow[]>;
  /**
   * Streams a `COPY ... FROM STDIN` on this executor's connection, resolving to the rows
   * copied; undefined when it has none that can (a pool: see {@link copies}; a bare `query()`
   * object or another driver's client: never).
   */
  readonly copy: ((sql: string, chunks: Iterable<Buffer>) => Promise<number>) | undefined;
  /** Whether COPY may be possible here or on the connection `transaction()` runs on. */
  readonly copies: boolean;
  /** Runs `work` on one connection, for transactions. */
  withConnection<T>(work: (executor: Executor) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection inside a transaction, rolled back when `work` throws:
   * BEGIN / COMMIT on a pool's connection or an idle client, a savepoint inside a transaction
   * the caller opened, nothing more inside this executor's own transaction. A bare `query()`
   * function or a wrapper that rewrites statements cannot be put in a transaction: `work`
   * runs as it is.
   */
  transaction<T>(work: (executor: Executor) => Promise<T>): Promise<T>;
  /** Ends a pool the kit opened itself (connection strings); otherwise a no-op. */
  end(): Promise<void>;
}

/**
 * Bumped by {@link renamePreparedStatements}: after DDL a statement's text may stay the same
 * while what it returns changes, which a statement prepared before refuses (0A000); new names
 * prepare them again.
 */
let generation = 0;

/** Prepared statements get new names from now on (after DDL: `forgetColumns()`). */
export function renamePreparedStatements(): void {
  generation++;
}

const names = new Map<string, string>();
/** Most distinct statements a process names before it starts over (the map is a cache). */
const MAX_NAMES = 1_000;

function preparedName(text: string): string {
  const key = `${generation}\0${text}`;
  let name = names.get(key);
  if (name === undefined) {
    name = `tk_${createHash('sha1').update(key).digest('hex').slice(0, 24)}`;
    if (names.size >= MAX_NAMES) names.clear();
    names.set(key, name);
  }
  return name;
}

/**
 * Whether `target` is node-postgres (a pool, a client, the kit's per-test pool or a lease of
 * its connection): its `query()` takes a config object, so a parameterized statement is sent
 * as a named prepared statement, parsed and planned once per connection instead of every time
 * (a factory's INSERT into a wide table with constraints: about half its time). A lookalike's
 * `query(text, values)` gets text.
 */
function prepares(target: QueryRunner): boolean {
  return isPool(target) || typeof (target as { getTransactionStatus?: unknown }).getTransactionStatus === 'function';
}

/** The rows of `text` on `target`, prepared by name when the target can and there are parameters. */
async function run(target: QueryRunner, named: boolean, text: string, values?: unknown[]): Promise<RawRow[]> {
  if (!named || values === undefined) return (await target.query(text, values)).rows as RawRow[];
  const config = { name: preparedName(text), text, values };
  return (await (target as unknown as { query(config: pg.QueryConfig): Promise<pg.QueryResult> }).query(config))
    .rows as RawRow[];
}

function isPool(value: QueryRunner): value is PoolLike {
  if (value instanceof pg.Pool) return true;
  const candidate = value as Partial<PoolLike> & { totalCount?: unknown };
  return typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number';
}

const noop = () => undefined;

/**
 * Per connection, the end of the transactions the kit has open or queued on it. A query from
 * outside waits for it: two creates on one client never share a transaction.
 */
const busy = new WeakMap<object, Promise<void>>();

async function exclusive<T>(target: object, work: () => Promise<T>): Promise<T> {
  const before = busy.get(target);
  let finish: () => void = noop;
  const mine = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const chain = before ? before.then(() => mine) : mine;
  busy.set(target, chain);
  try {
    if (before) await before;
    return await work();
  } finally {
    finish();
    if (busy.get(target) === chain) busy.delete(target);
  }
}

async function idle(target: object): Promise<void> {
  for (let gate = busy.get(target); gate; gate = busy.get(target)) await gate;
}

type Bracket = readonly [open: string, commit: string, rollback: string];
const TRANSACTION: Bracket = ['BEGIN', 'COMMIT', 'ROLLBACK'];
const SAVEPOINT: Bracket = [
  'SAVEPOINT tk_factories',
  'RELEASE SAVEPOINT tk_factories',
  'ROLLBACK TO SAVEPOINT tk_factories; RELEASE SAVEPOINT tk_factories',
];

/**
 * How to open a transaction on a client: from pg's own record of the session's state. A
 * wrapper with its own `query` (a lease of the kit's per-test connection, a proxy) may rewrite
 * statements, so only a pg client's own state is trusted.
 */
function bracketOf(target: QueryRunner): Bracket | undefined {
  const status = (target as { getTransactionStatus?: unknown }).getTransactionStatus;
  if (typeof status !== 'function' || Object.hasOwn(target, 'query')) return undefined;
  const state: unknown = status.call(target);
  return state === 'I' ? TRANSACTION : state === 'T' ? SAVEPOINT : undefined;
}

/** `work` between the bracket's statements on `target`; rolled back when it throws. */
async function bracketed<T>(target: QueryRunner, bracket: Bracket, work: () => Promise<T>): Promise<T> {
  const [open, commit, rollback] = bracket;
  await target.query(open);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await target.query(rollback).catch(noop);
    throw error;
  }
  await target.query(commit);
  return result;
}

/**
 * An executor on one connection. `shared` names the catalog it shares (its template's) and
 * passes on to the executors of its transactions: a clone's catalog is read once, whichever
 * connection asks.
 */
function single(key: object | string, target: QueryRunner, inTransaction = false, shared?: string): Executor {
  const copyTarget: CopyTarget | undefined = canCopy(target) ? target : undefined;
  const named = prepares(target);
  const executor: Executor = {
    key,
    shared,
    query: async (text, values) => {
      if (!inTransaction && busy.has(target)) await idle(target);
      return run(target, named, text, values);
    },
    copy: copyTarget
      ? async (sql, chunks) => {
          if (!inTransaction && busy.has(target)) await idle(target);
          return copyIn(copyTarget, sql, chunks);
        }
      : undefined,
    copies: copyTarget !== undefined,
    withConnection: (work) => work(executor),
    transaction: (work) => {
      if (inTransaction) return work(executor);
      return exclusive(target, () => {
        const inner = single(key, target, true, shared);
        const bracket = bracketOf(target);
        return bracket ? bracketed(target, bracket, () => work(inner)) : work(inner);
      });
    },
    end: async () => undefined,
  };
  return executor;
}

type Checkout = Awaited<ReturnType<PoolLike['connect']>> & {
  listenerCount?(event: 'error'): number;
  on?(event: 'error', listener: () => void): unknown;
  off?(event: 'error', listener: () => void): unknown;
};

/**
 * A pool's connection for `work`, released on every path (and discarded when it broke). A
 * checked-out pg client has no pool listener: a dropped connection must not crash the process.
 */
async function checkedOut<T>(pool: PoolLike, work: (client: Checkout) => Promise<T>): Promise<T> {
  const client: Checkout = await pool.connect();
  const guard = client.listenerCount?.('error') === 0 ? () => undefined : undefined;
  if (guard) client.on?.('error', guard);
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    // a connection that can no longer answer goes back to the pool to be discarded
    const alive = await client.query('SELECT 1').then(
      () => true,
      () => false,
    );
    if (!alive) broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    if (guard) client.off?.('error', guard);
    client.release(broken);
  }
}

function pooled(key: object | string, pool: PoolLike, end: () => Promise<void>, shared?: string): Executor {
  const named = prepares(pool);
  return {
    key,
    shared,
    query: (text, values) => run(pool, named, text, values),
    // a pool's connections are pg clients (checked on the one a transaction gets)
    copy: undefined,
    copies: true,
    withConnection: (work) => checkedOut(pool, (client) => work(single(key, client, false, shared))),
    transaction: (work) =>
      checkedOut(pool, (client) => bracketed(client, TRANSACTION, () => work(single(key, client, true, shared)))),
    end,
  };
}

/** The template a database the kit handed out was cloned from (a clone, or a test's view of one). */
function templateOf(handle: object): string | undefined {
  const { template, database } = handle as { template?: unknown; database?: { template?: unknown } };
  const name = typeof template === 'string' ? template : database?.template;
  return typeof name === 'string' ? `template ${name}` : undefined;
}

/** Normalises a {@link SqlTarget}. A connection string gets its own small pool, ended by `end()`. */
export function toExecutor(db: SqlTarget): Executor {
  if (typeof db === 'string') {
    const pool = createPool({ connectionString: db, max: 2 }, 'factories pool');
    return pooled(db, pool, () => pool.end());
  }
  if ('pool' in db && typeof db.pool === 'object' && db.pool !== null) {
    // a test database handle: its catalog is the same for every test, so cache by its URL
    const url = (db as { connectionString?: unknown }).connectionString;
    return pooled(typeof url === 'string' ? url : db, db.pool, async () => undefined, templateOf(db));
  }
  const target = db as QueryRunner;
  if (typeof target.query !== 'function') {
    throw new TypeError('createFactories: expected a pg Pool, Client, connection string or an object with query()');
  }
  return isPool(target) ? pooled(db, target, async () => undefined) : single(db, target);
}
