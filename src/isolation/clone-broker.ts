import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { createPool } from '../connection/index.js';
import { logger } from '../env/index.js';
import { cloneDatabase, dropDatabase, markKept } from './admin.js';
import type { DatabaseMarker } from './marker.js';
import { brokerPrefix } from './names.js';

const debug = logger('isolation');

/**
 * Clones made at once. Each `CREATE DATABASE ... STRATEGY FILE_COPY` waits for two
 * checkpoints, which concurrent ones share: on 2 busy cores, 4 at a time cut the median wait of
 * a 128-file run's files from 40–58 ms to 25–30 ms against 2 at a time, at the same wall time.
 */
const FILL_CONCURRENCY = 4;
/** Handed-back clones left waiting for their drop while the pool is short, at most. */
const MAX_PENDING_DROPS = 8;

/** Where the workers of a run reach its broker: a loopback port and the run's secret. */
export interface BrokerAddress {
  host: string;
  port: number;
  token: string;
}

/** One request line from a worker. */
export interface BrokerRequest {
  id: number;
  token: string;
  /** `catalog`: the rows kept under `name`, or, with `rows`, keep these (the first kept stay). */
  op: 'claim' | 'release' | 'catalog';
  name?: string;
  keep?: boolean;
  rows?: unknown[];
}

/** One response line to a worker. */
export interface BrokerResponse {
  id: number;
  name?: string;
  rows?: unknown[];
  error?: string;
}

/** Catalogs a broker keeps for its workers, at most (one per template in practice). */
const MAX_CATALOGS = 4;

/**
 * The run's clones, handed out from the process that made them (the runner's main process):
 * like IntegreSQL, one place makes clones ahead, hands each to one worker, and drops what
 * workers hand back. A claim is a line over a loopback socket, not a RENAME on an admin
 * connection of the worker's own; drops wait while the pool is short, so that the server makes
 * the clones workers wait for first. Waiting clones do not allow connections (TimescaleDB's
 * launcher starts no scheduler on them); a claim opens one and hands it out.
 */
export class CloneBroker {
  readonly #ready: string[] = [];
  readonly #waiters: { resolve: (name: string) => void; reject: (error: Error) => void }[] = [];
  readonly #handedOut = new Map<string, Socket | undefined>();
  readonly #toDrop: string[] = [];
  readonly #work = new Set<Promise<unknown>>();
  readonly #idle: (() => void)[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #token = randomBytes(18).toString('base64url');
  readonly #catalogs = new Map<string, unknown[]>();
  #server: Server | undefined;
  #making = 0;
  #dropping = false;
  #counter = 0;
  #stopped = false;

  /** Its own connections: a claim never queues behind the CREATE and DROP DATABASEs under way. */
  private readonly admin: pg.Pool;

  constructor(
    serverUrl: string,
    private readonly template: string,
    private readonly runId: string,
    private readonly size: number,
  ) {
    this.admin = createPool({ connectionString: serverUrl, max: FILL_CONCURRENCY + 3 }, 'clone broker');
  }

  /** Makes `ready` clones (default: all), starts listening on loopback, fills the rest meanwhile. */
  async start(ready = this.size): Promise<BrokerAddress> {
    const first = Array.from({ length: Math.min(ready, this.size) }, () => this.#make());
    const server = createServer((socket) => this.#serve(socket));
    this.#server = server;
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    await Promise.all([listening, ...first]);
    server.unref();
    this.#fill();
    return this.address;
  }

  get address(): BrokerAddress {
    const bound = this.#server?.address();
    if (!bound || typeof bound === 'string') throw new Error('the clone broker is not listening');
    return { host: bound.address, port: bound.port, token: this.#token };
  }

  /** A clone for one test file, open to connections; waits while none is ready. */
  claim(socket?: Socket): Promise<string> {
    if (this.#stopped) return Promise.reject(new Error('the run is over: its clone broker has stopped'));
    const name = this.#ready.shift();
    const next = name
      ? Promise.resolve(name)
      : new Promise<string>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#fill();
    return next.then(async (claimed) => {
      this.#handedOut.set(claimed, socket);
      await this.#track(this.admin.query(`ALTER DATABASE ${pg.escapeIdentifier(claimed)} WITH ALLOW_CONNECTIONS true`));
      return claimed;
    });
  }

  /** A clone handed back: dropped when the pool is full again, or kept (marked) for inspection. */
  async release(name: string, keep = false): Promise<void> {
    if (!this.#handedOut.delete(name)) return;
    if (keep) {
      await this.#track(markKept(this.admin, name, this.runId, this.template));
      return;
    }
    this.#toDrop.push(name);
    this.#drain();
  }

  /**
   * What a worker read of the clones' catalog, kept for the run's other workers (a worker per
   * file reads it once per run, not once per file): `rows` keeps them under `key` unless some
   * are kept already; without `rows`, the rows kept, if any.
   */
  catalog(key: string, rows?: unknown[]): unknown[] | undefined {
    if (rows && !this.#catalogs.has(key) && this.#catalogs.size < MAX_CATALOGS) this.#catalogs.set(key, rows);
    return rows ? undefined : this.#catalogs.get(key);
  }

  /** Resolves once nothing is being made or dropped and the pool is full (benchmarks settle on it). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops listening and making; waits for what is under way. The run's clones are dropped by its teardown. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const waiter of this.#waiters.splice(0))
      waiter.reject(new Error('the run is over: its clone broker has stopped'));
    const closed = new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    // the workers' connections stay open between requests: close() waits for them to end
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
    await this.admin.end();
  }

  #isIdle(): boolean {
    return this.#making === 0 && !this.#dropping && this.#toDrop.length === 0 && this.#ready.length >= this.size;
  }

  #settled(): void {
    if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#work.add(work);
    const done = () => this.#work.delete(work);
    work.then(done, done);
    return work;
  }

  /** Makes clones while the pool (and the workers waiting) need more, {@link FILL_CONCURRENCY} at a time. */
  #fill(): void {
    while (
      !this.#stopped &&
      this.#making < FILL_CONCURRENCY &&
      this.#ready.length + this.#making < this.size + this.#waiters.length
    ) {
      void this.#make().catch((error: unknown) => {
        debug(`clone broker: ${String(error)}`);
        this.#waiters.shift()?.reject(error instanceof Error ? error : new Error(String(error)));
      });
    }
  }

  async #make(): Promise<void> {
    this.#making++;
    const name = `${brokerPrefix(this.runId)}${++this.#counter}`;
    const marker: DatabaseMarker = { kind: 'clone', runId: this.runId, createdAt: Date.now(), template: this.template };
    try {
      await this.#track(cloneDatabase(this.admin, this.template, name, marker, { allowConnections: false }));
    } finally {
      this.#making--;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(name);
    else this.#ready.push(name);
    this.#fill();
    this.#drain();
    this.#settled();
  }

  /** Drops handed-back clones one at a time, once the pool is full (or too many wait). */
  #drain(): void {
    if (this.#dropping || this.#toDrop.length === 0) {
      this.#settled();
      return;
    }
    const short = this.#ready.length < this.size || this.#waiters.length > 0;
    if (short && !this.#stopped && this.#toDrop.length < MAX_PENDING_DROPS) return;
    const name = this.#toDrop.shift() as string;
    this.#dropping = true;
    void this.#track(dropDatabase(this.admin, name))
      .catch((error: unknown) => debug(`clone broker: drop ${name} failed: ${String(error)}`))
      .finally(() => {
        this.#dropping = false;
        this.#drain();
      });
  }

  /** One worker's connection: newline-delimited JSON requests, each answered by id. */
  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.unref();
    onLines(socket, (line) => void this.#answer(socket, line));
    socket.on('error', () => undefined);
    // a worker that ended (or died) without handing its clones back: they are dropped
    socket.on('close', () => {
      this.#sockets.delete(socket);
      for (const [name, owner] of this.#handedOut) if (owner === socket) void this.release(name);
    });
  }

  async #answer(socket: Socket, line: string): Promise<void> {
    let request: BrokerRequest;
    try {
      request = JSON.parse(line) as BrokerRequest;
    } catch {
      socket.destroy();
      return;
    }
    if (!sameToken(request.token, this.#token)) {
      socket.destroy();
      return;
    }
    const response: BrokerResponse = { id: request.id };
    try {
      if (request.op === 'claim') response.name = await this.claim(socket);
      else if (request.op === 'release' && typeof request.name === 'string')
        await this.release(request.name, request.keep === true);
      else if (request.op === 'catalog' && typeof request.name === 'string') {
        const rows = this.catalog(request.name, Array.isArray(request.rows) ? request.rows : undefined);
        if (rows) response.rows = rows;
      } else throw new Error(`unknown request ${JSON.stringify(request.op)}`);
    } catch (error) {
      response.error = error instanceof Error ? error.message : String(error);
    }
    if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
  }
}

/** Calls `onLine` with each newline-terminated line `socket` receives (the broker's framing, both ways). */
export function onLines(socket: Socket, onLine: (line: string) => void): void {
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  let buffer = '';
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      onLine(line);
    }
  });
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
