import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { type ContainerRuntimeClient, ImageName } from 'testcontainers';
import { ServerGoneError } from '../connection/index.js';
import { KIT_VERSION, kitStateDir, logger, timed } from '../env/index.js';
import { type DataDirectoryMount, dataDirectoryMount } from './data-directory.js';
import { connectDocker, isLocalEngine } from './docker.js';
import { PortTakenError, StartupTimeoutError } from './errors.js';
import { prepareServer } from './extensions.js';
import { LABEL_CONFIG_HASH, LABEL_CREATED_AT, LABEL_KIT, LABEL_REUSE, LABEL_RUN_ID, LABEL_VERSION } from './labels.js';
import { withFileLock } from './lock.js';
import { type ResolvedTimescaleOptions, randomPassword, resolveOptions, type TimescaleOptions } from './options.js';
import { ContainerNotReady, type Credentials, ServerReadyWaitStrategy } from './readiness.js';
import { chooseRoute, type Route, routed } from './route.js';
import { isPortTaken, START_ATTEMPTS, startRetrying } from './start-retry.js';
import { StartedTimescale } from './started.js';
import { exitOf } from './watch.js';

const debug = logger('container');

/** Reused servers this process started, by configuration and route wish. */
const running = new Map<string, Promise<StartedTimescale>>();
/** Where a local engine binds the published port: the machine's own IPv4 loopback. */
const LOOPBACK = '127.0.0.1';

const runningKey = (options: ResolvedTimescaleOptions) => `${options.configHash}:${options.direct}`;

/**
 * PostgreSqlContainer with an init process as PID 1 (the postmaster would take a reaped
 * orphan that died from a signal for a crashed backend and restart), no health check (a
 * shell every 250 ms for the container's whole life), readiness established once by a
 * query from the host, and its port bound to loopback on a local engine.
 */
class KitPostgreSqlContainer extends PostgreSqlContainer {
  containerId: string | undefined;
  loopbackOnly = false;
  readonly #credentials: Credentials = { username: 'test', password: 'test', database: 'test' };

  constructor(image: string) {
    super(image);
    this.withWaitStrategy(new ServerReadyWaitStrategy(() => this.#credentials));
  }

  override withDatabase(database: string): this {
    this.#credentials.database = database;
    return super.withDatabase(database);
  }
  override withUsername(username: string): this {
    this.#credentials.username = username;
    return super.withUsername(username);
  }
  override withPassword(password: string): this {
    this.#credentials.password = password;
    return super.withPassword(password);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.hostConfig.Init = true;
    // replaces the pg_isready check PostgreSqlContainer installs (and any the image declares)
    this.createOpts.Healthcheck = { Test: ['NONE'] };
    if (!this.loopbackOnly) return;
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      if (!Array.isArray(bindings)) continue;
      for (const binding of bindings as { HostIp?: string }[]) binding.HostIp = LOOPBACK;
    }
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.containerId = containerId;
  }
}

async function reusePassword(configHash: string): Promise<string> {
  const dir = kitStateDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'reuse-secret');
  let secret: string;
  try {
    secret = await readFile(path, 'utf8');
  } catch {
    secret = randomPassword();
    await writeFile(path, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    secret = await readFile(path, 'utf8');
  }
  return createHash('sha256').update(`${secret}:${configHash}`).digest('hex').slice(0, 32);
}

/** The image's data directory and the tmpfs options that let its user own it (pulled first if missing). */
async function dataDirectory(client: ContainerRuntimeClient, image: string): Promise<DataDirectoryMount | undefined> {
  const name = ImageName.fromString(image);
  if (!(await client.image.exists(name))) await client.image.pull(name);
  return dataDirectoryMount((await client.image.inspect(name)).Config, image);
}

/** Stops and removes a container this start created (errors ignored: it may be half made). */
async function removeContainer(client: ContainerRuntimeClient, id: string): Promise<void> {
  const leftover = client.container.getById(id);
  await client.container.stop(leftover, { timeout: 0 }).catch(() => undefined);
  await client.container.remove(leftover, { removeVolumes: true }).catch(() => undefined);
}

function serverCommand(options: ResolvedTimescaleOptions): string[] {
  const command = ['postgres'];
  for (const [key, value] of Object.entries(options.settings)) command.push('-c', `${key}=${value}`);
  return command;
}

/** The server's port inside the container (the image's default, which the kit keeps). */
const SERVER_PORT = 5432;

/** The container's own address where this machine reaches it, else its published port. */
function routeTo(
  started: StartedPostgreSqlContainer,
  client: ContainerRuntimeClient,
  options: ResolvedTimescaleOptions,
): Promise<Route> {
  const network = started.getNetworkNames()[0];
  const ip = network === undefined ? '' : started.getIpAddress(network);
  // a local engine's published port is bound to loopback (beforeContainerCreated)
  const localEngine = isLocalEngine(client);
  return chooseRoute({
    wanted: options.direct,
    platform: process.platform,
    localEngine,
    own: ip ? { host: ip, port: SERVER_PORT } : undefined,
    published: { host: started.getHost(), port: started.getPort() },
    boundTo: localEngine ? LOOPBACK : undefined,
  });
}

async function launch(options: ResolvedTimescaleOptions): Promise<StartedTimescale> {
  const client = await timed(debug, 'docker connect', () => connectDocker(options.dockerTimeoutMs));
  const password = options.password ?? (options.reuse ? await reusePassword(options.configHash) : randomPassword());
  const container = new KitPostgreSqlContainer(options.image)
    .withDatabase(options.database)
    .withUsername(options.username)
    .withPassword(password)
    .withStartupTimeout(options.startupTimeoutMs)
    .withEnvironment({ NO_TS_TUNE: 'true', TIMESCALEDB_TELEMETRY: 'off' })
    .withCommand(serverCommand(options))
    .withLabels({
      [LABEL_KIT]: 'true',
      [LABEL_VERSION]: KIT_VERSION,
      [LABEL_CONFIG_HASH]: options.configHash,
      [LABEL_REUSE]: String(options.reuse),
      // a reused container must hash the same in every run: no per-run labels on it
      ...(options.reuse ? {} : { [LABEL_RUN_ID]: options.runId, [LABEL_CREATED_AT]: String(Date.now()) }),
    });
  container.loopbackOnly = isLocalEngine(client);
  if (options.tmpfs) {
    const mount = await timed(debug, 'image inspect', () => dataDirectory(client, options.image));
    if (mount) container.withTmpFs({ [mount.path]: mount.options });
    else debug(`${options.image} runs as a user the kit cannot map: data directory not on tmpfs`);
  }
  if (options.reuse) container.withReuse();

  let started: StartedPostgreSqlContainer;
  try {
    started = await startRetrying(
      () => timed(debug, 'container start', () => container.start()),
      async (error, attempt) => {
        // the container was created but never started: nothing in it to keep or reuse
        const created = container.containerId;
        container.containerId = undefined;
        if (created) await removeContainer(client, created);
        debug(`start ${attempt} failed, Docker could not bind the host port it picked: ${String(error)}`);
      },
    );
  } catch (error) {
    const portTaken = isPortTaken(error);
    if (container.containerId && (!options.reuse || portTaken)) {
      await removeContainer(client, container.containerId);
    }
    if (portTaken) throw new PortTakenError(options.image, START_ATTEMPTS, error);
    if (error instanceof ContainerNotReady) {
      throw new StartupTimeoutError(options.image, options.startupTimeoutMs, error.logLines, error, {
        containerId: container.containerId,
        exitCode: error.exitCode,
        oomKilled: error.oomKilled,
      });
    }
    throw new StartupTimeoutError(options.image, options.startupTimeoutMs, [], error, {
      containerId: container.containerId,
    });
  }
  // testcontainers calls containerCreated only for a container it created, not for one it reused
  const reused = options.reuse && container.containerId === undefined;
  try {
    const route = await timed(debug, 'route chosen', () => routeTo(started, client, options));
    const url = routed(started.getConnectionUri(), route);
    // a container that is not reused is never found again: no note of its init
    const { extensions, server } = await timed(debug, 'extensions verified, official init applied', () =>
      prepareServer(url, options.extensions, options.image, options.reuse ? started.getId() : undefined),
    );
    debug(`ready ${route.host}:${route.port} (${route.kind}) ${JSON.stringify(extensions)}`);
    return new StartedTimescale({
      client,
      container: started,
      route,
      image: options.image,
      runId: options.runId,
      configHash: options.configHash,
      reused,
      keepRunning: options.reuse,
      extensions,
      server,
      poolDefaults: options.pool,
      onStop: () => running.delete(runningKey(options)),
    });
  } catch (error) {
    const exit = await exitOf(client, {
      id: started.getId(),
      image: options.image,
      server: `${started.getHost()}:${started.getPort()}`,
    }).catch(() => undefined);
    if (!options.reuse || exit) {
      await started.stop({ remove: true, removeVolumes: true, timeout: 0 }).catch(() => undefined);
    }
    throw exit ? new ServerGoneError(exit, error) : error;
  }
}

/**
 * Fluent builder in the style of testcontainers' modules; ends in {@link TimescaleContainer.start}.
 *
 * @example
 * ```ts
 * const server = await new TimescaleContainer().withReuse().withSettings({ work_mem: '16MB' }).start()
 * ```
 */
export class TimescaleContainer {
  #options: TimescaleOptions;

  constructor(options: TimescaleOptions = {}) {
    this.#options = { ...options };
  }

  #with(patch: TimescaleOptions): this {
    this.#options = { ...this.#options, ...patch };
    return this;
  }

  withImage(image: string): this {
    return this.#with({ image });
  }
  withReuse(reuse = true): this {
    return this.#with({ reuse });
  }
  withExtensions(extensions: readonly string[]): this {
    return this.#with({ extensions });
  }
  withSettings(settings: Readonly<Record<string, string | number | boolean>>): this {
    return this.#with({ settings: { ...this.#options.settings, ...settings } });
  }
  withStartupTimeout(startupTimeoutMs: number): this {
    return this.#with({ startupTimeoutMs });
  }
  withTuning(tuning: boolean): this {
    return this.#with({ tuning });
  }
  withTmpfs(tmpfs: boolean): this {
    return this.#with({ tmpfs });
  }
  withCredentials(username: string, password: string, database?: string): this {
    return this.#with({ username, password, ...(database ? { database } : {}) });
  }
  withPool(pool: { max?: number; min?: number }): this {
    return this.#with({ pool });
  }
  /** Connect to the container's own address when this machine reaches it (see `direct`). */
  withDirectRoute(direct = true): this {
    return this.#with({ direct });
  }

  /**
   * Starts the container, or, with reuse, finds the one an earlier run left for the same
   * configuration. Concurrent starts across processes are serialised by a file lock.
   */
  start(): Promise<StartedTimescale> {
    const options = resolveOptions(this.#options);
    if (!options.reuse) return launch(options);
    const key = runningKey(options);
    const existing = running.get(key);
    if (existing) return existing;
    const starting = withFileLock(`container-${options.configHash}`, () => launch(options), {
      timeoutMs: options.startupTimeoutMs + 30_000,
    });
    running.set(key, starting);
    starting.catch(() => running.delete(key));
    return starting;
  }
}

/**
 * Starts a TimescaleDB + pgvector container (or, with `reuse`, finds the one an earlier run
 * left), checks the wanted extensions and returns the running server.
 *
 * @example
 * ```ts
 * await using server = await startTimescale({ postgres: 17 })
 * const pool = server.pool()
 * await pool.query('CREATE EXTENSION IF NOT EXISTS vector')
 * console.log(server.connectionString, server.versions)
 * ```
 */
export function startTimescale(options: TimescaleOptions = {}): Promise<StartedTimescale> {
  return new TimescaleContainer(options).start();
}
