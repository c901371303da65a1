import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import type pg from 'pg';
import type { ContainerRuntimeClient } from 'testcontainers';
import { createPool, type ServerExit, serverAddress, trustHost } from '../connection/index.js';
import { logger } from '../env/index.js';
import { forgetInit } from './extensions.js';
import type { PoolSize } from './options.js';
import { type Route, type RouteKind, routed } from './route.js';
import { type ServerInfo, type TimescaleEdition, versionsOf } from './server-info.js';
import { exitOf, type WatchedContainer, watchExit } from './watch.js';

const debug = logger('container');

export interface StartedTimescaleInit {
  client: ContainerRuntimeClient;
  container: StartedPostgreSqlContainer;
  /** How this machine reaches the server: the container's own address or the published port. */
  route: Route;
  image: string;
  runId: string;
  configHash: string;
  reused: boolean;
  /** Reuse mode: stop() leaves the container running for the next run. */
  keepRunning: boolean;
  extensions: Readonly<Record<string, string>>;
  /** Versions, edition and encoding read once the server was ready. */
  server: ServerInfo;
  poolDefaults: Required<PoolSize>;
  onStop: () => void;
}

export interface StopOptions {
  /** Also stop and remove a reused container (default: a reused container keeps running). */
  remove?: boolean;
}

/** A running TimescaleDB + pgvector server. */
export class StartedTimescale implements AsyncDisposable {
  readonly #init: StartedTimescaleInit;
  readonly #pools = new Set<pg.Pool>();
  readonly #unwatch = new Set<() => void>();
  readonly #url: string;
  #stopping: Promise<void> | undefined;

  constructor(init: StartedTimescaleInit) {
    this.#init = init;
    this.#url = routed(init.container.getConnectionUri(), init.route);
    // the guard counts a server the kit started as safe, wherever it is reached (the container's
    // own address on the direct route, a remote engine's host)
    trustHost(init.route.host);
  }

  get id(): string {
    return this.#init.container.getId();
  }
  get image(): string {
    return this.#init.image;
  }
  /** The host the kit connects to: the container's own address on the direct route. */
  get host(): string {
    return this.#init.route.host;
  }
  get port(): number {
    return this.#init.route.port;
  }
  /**
   * `direct` when connections go to the container's own address (Docker Engine on Linux),
   * `published` when they go through the host port Docker publishes.
   */
  get route(): RouteKind {
    return this.#init.route.kind;
  }
  /** The host port Docker publishes (bound to loopback on a local engine), whatever the route. */
  get publishedPort(): number {
    return this.#init.container.getPort();
  }
  get database(): string {
    return this.#init.container.getDatabase();
  }
  get username(): string {
    return this.#init.container.getUsername();
  }
  get password(): string {
    return this.#init.container.getPassword();
  }
  get runId(): string {
    return this.#init.runId;
  }
  get configHash(): string {
    return this.#init.configHash;
  }
  /** True when an existing container from an earlier run was found and reused. */
  get reused(): boolean {
    return this.#init.reused;
  }
  /** Versions of the verified extensions, e.g. `{ timescaledb: '2.30.2', vector: '0.8.1' }`. */
  get extensions(): Readonly<Record<string, string>> {
    return this.#init.extensions;
  }
  /**
   * What the server runs: `postgres` and each wanted extension, e.g.
   * `{ postgres: '17.6', timescaledb: '2.30.2', vector: '0.8.1' }`.
   */
  get versions(): Readonly<Record<string, string>> {
    return versionsOf(this.#init.server);
  }
  /** TimescaleDB's edition: `community` (official images) or `apache` (e.g. Debian's packages). */
  get edition(): TimescaleEdition | undefined {
    return this.#init.server.edition;
  }
  /** Encoding of the container's database (`UTF8` on every image the kit knows). */
  get encoding(): string {
    return this.#init.server.encoding;
  }
  get connectionString(): string {
    return this.#url;
  }
  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  /** The connection string of another database on this server. */
  urlFor(database: string): string {
    const url = new URL(this.connectionString);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  }

  /** A pg Pool on this server (default max 5, min 1), closed by {@link stop}. */
  pool(config: pg.PoolConfig = {}): pg.Pool {
    // an idle connection the server ends (the container stopping, a database dropped) is not
    // the application's failure: the pool's error listener keeps it from being an uncaught exception
    const pool = createPool(
      {
        connectionString: this.connectionString,
        max: this.#init.poolDefaults.max,
        min: this.#init.poolDefaults.min,
        ...config,
      },
      `pool on ${this.host}:${this.port}`,
    );
    this.#pools.add(pool);
    const end = pool.end.bind(pool);
    pool.end = (async () => {
      this.#pools.delete(pool);
      if (!pool.ended) await end();
    }) as typeof pool.end;
    return pool;
  }

  get #watched(): WatchedContainer {
    return { id: this.id, image: this.image, server: serverAddress(this.connectionString) };
  }

  /**
   * How the container ended when it is no longer running (exit code, OOM flag, last log
   * lines); undefined while it runs.
   */
  exitStatus(): Promise<ServerExit | undefined> {
    return exitOf(this.#init.client, this.#watched);
  }

  /**
   * Calls `listener` once if the container dies while in use (killed, out of memory, stopped
   * or removed from outside); not for {@link stop}. Returns the function that stops watching.
   */
  onExit(listener: (exit: ServerExit) => void): () => void {
    const unwatch = watchExit(this.#init.client, this.#watched, (exit) => {
      this.#unwatch.delete(unwatch);
      if (!this.stopped) listener(exit);
    });
    this.#unwatch.add(unwatch);
    return () => {
      this.#unwatch.delete(unwatch);
      unwatch();
    };
  }

  /** Closes the pools; stops and removes the container unless it is reused. Idempotent. */
  stop(options: StopOptions = {}): Promise<void> {
    this.#stopping ??= this.#stop(options);
    return this.#stopping;
  }

  async #stop({ remove = false }: StopOptions): Promise<void> {
    this.#init.onStop();
    for (const unwatch of this.#unwatch) unwatch();
    this.#unwatch.clear();
    await Promise.allSettled([...this.#pools].map((pool) => pool.end()));
    if (!this.#init.keepRunning || remove) {
      const started = performance.now();
      await this.#init.container.stop({ remove: true, removeVolumes: true, timeout: 0 });
      await forgetInit(this.id);
      debug(`container stopped ${(performance.now() - started).toFixed(1)}ms`);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
