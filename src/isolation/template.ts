import type pg from 'pg';
import { createPool, withDatabase } from '../connection/index.js';
import type { PoolSize, StartedTimescale } from '../container/index.js';
import { currentRunId, logger } from '../env/index.js';
import type { MigrationReport, MigrationsSource } from '../migrate/index.js';
import { cloneDatabase, dropDatabase, markKept } from './admin.js';
import { brokerClient } from './broker-client.js';
import { dropLeftoverClones, dropRunClones, dropStaleTemplates } from './cleanup.js';
import { type BrokerAddress, CloneBroker } from './clone-broker.js';
import type { DatabaseMarker } from './marker.js';
import { cloneName } from './names.js';
import { claimShared, SharedClonePool } from './shared-clones.js';
import { TestDatabase, warmPool } from './test-database.js';

interface ReadyClone {
  name: string;
  pool: pg.Pool | undefined;
}

const debug = logger('isolation');

export interface TemplateOptions {
  /**
   * What builds the schema: a migrations folder, the folder runner's options, or any
   * {@link Migrator} (`commandMigrator(...)`, `functionMigrator(...)`, your own). The template is
   * keyed by the migrator's hash.
   */
  migrations: MigrationsSource;
  /** Id carried by the names of the clones (default: the process's run id). */
  runId?: string;
  /** Clones this process keeps ready ahead of its own `clone()` calls (default 1). */
  prepared?: number;
  /** Pool sizes of the clones' pools. */
  pool?: PoolSize;
  /** Clones of other runs older than this are dropped when the template is built (default 1 h). */
  leftoverAgeMs?: number;
  /** Templates of other migrations hashes built longer ago than this are dropped (default 24 h). */
  staleTemplateAgeMs?: number;
  /**
   * Extensions the template has before its migrations run (default `['timescaledb']`: what the
   * official image creates in every database). The template is UTF8 whatever the server's default.
   */
  extensions?: readonly string[];
}

export interface AttachOptions {
  runId?: string;
  prepared?: number;
  pool?: PoolSize;
  /** The run's clone broker ({@link Template.brokerClones} in the process that built the template): clones come from it. */
  broker?: BrokerAddress;
}

/**
 * A migrated template database, keyed by the migrations' hash, and the clones made from it.
 * Build with {@link createTemplate}; in another process, {@link Template.attach} by name.
 */
export class Template {
  readonly name: string;
  readonly serverUrl: string;
  readonly runId: string;
  /** The folder runner's report when this process built the template from a folder; else undefined. */
  readonly report: MigrationReport | undefined;
  /** Whether this process built the template (false: it was found, built earlier or by another process). */
  readonly built: boolean;
  readonly #admin: pg.Pool;
  readonly #prepared: number;
  readonly #poolSize: PoolSize | undefined;
  readonly #broker: BrokerAddress | undefined;
  /** Clones made or claimed ahead of `clone()`, each with a pool already connected. */
  readonly #ready: Promise<ReadyClone>[] = [];
  readonly #mine = new Set<string>();
  readonly #kept = new Set<string>();
  readonly #drops = new Set<Promise<void>>();
  #counter = 0;
  #closed = false;

  private constructor(
    serverUrl: string,
    name: string,
    options: AttachOptions,
    build: { report?: MigrationReport; built: boolean } = { built: false },
  ) {
    this.serverUrl = serverUrl;
    this.name = name;
    this.runId = options.runId ?? currentRunId();
    this.report = build.report;
    this.built = build.built;
    this.#prepared = options.prepared ?? 1;
    this.#poolSize = options.pool;
    this.#broker = options.broker;
    this.#admin = createPool({ connectionString: serverUrl, max: 3 }, 'admin pool');
  }

  /** Use a template another process built (e.g. vitest's global setup), without building. */
  static attach(serverUrl: string, name: string, options: AttachOptions = {}): Template {
    return new Template(serverUrl, name, options);
  }

  /** @internal */
  static async build(serverUrl: string, options: TemplateOptions): Promise<Template> {
    // loaded here: test workers only attach to the run's template, and never load the migrations
    const { findOrBuild } = await import('./template-build.js');
    const { name, built, report } = await findOrBuild(serverUrl, options);
    const template = new Template(serverUrl, name, options, { built, ...(report ? { report } : {}) });
    await template.dropLeftovers(options.leftoverAgeMs ?? 3_600_000);
    await dropStaleTemplates(template.#admin, name, options.staleTemplateAgeMs ?? 86_400_000);
    return template;
  }

  #nextName(): string {
    this.#counter++;
    // pid and thread id: vitest's 'threads' pool runs several workers in one process
    return cloneName(this.runId, this.#counter);
  }

  #make(): Promise<string> {
    const name = this.#nextName();
    this.#mine.add(name);
    const marker: DatabaseMarker = { kind: 'clone', runId: this.runId, createdAt: Date.now(), template: this.name };
    return cloneDatabase(this.#admin, this.name, name, marker).then(() => name);
  }

  /** `name`, and a pool on it with one connection open (none if connecting failed: made on use). */
  #warmed(naming: Promise<string>): Promise<ReadyClone> {
    const ready = naming.then(async (name) => {
      const url = withDatabase(this.serverUrl, name);
      const pool = await warmPool(name, url, this.#poolSize).catch(() => undefined);
      return { name, pool };
    });
    ready.catch(() => undefined);
    return ready;
  }

  #refill(): void {
    while (!this.#closed && this.#ready.length < this.#prepared) this.#ready.push(this.#warmed(this.#make()));
  }

  /**
   * Claims (or makes) the next clone now, and connects to it, so that `clone()` finds it ready:
   * a test file starts this when it is loaded, while the runner is still collecting its tests.
   */
  prefetch(): void {
    if (!this.#closed && this.#ready.length === 0) this.#ready.push(this.#warmed(this.#claimOrMake()));
  }

  /**
   * Starts a pool of `size` clones that other processes (test workers) claim in `clone()`;
   * it is topped up in the background until stopped. Resolves once `ready` of them exist
   * (default: all), the rest made while the workers start.
   */
  async shareClones(size: number, ready = size): Promise<SharedClonePool> {
    const pool = new SharedClonePool(this.#admin, this.name, this.runId, size);
    await pool.start(ready);
    return pool;
  }

  /**
   * Starts the run's clone broker: `size` clones kept waiting, handed out over a loopback socket
   * to the workers that {@link Template.attach} with its address. Resolves once `ready` of them
   * exist (default: all), the rest made while the workers start.
   */
  async brokerClones(size: number, ready = size): Promise<CloneBroker> {
    const broker = new CloneBroker(this.serverUrl, this.name, this.runId, size);
    try {
      await broker.start(ready);
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  async #claimOrMake(): Promise<string> {
    if (this.#broker) return brokerClient(this.#broker).claim();
    const name = this.#nextName();
    this.#mine.add(name);
    if (await claimShared(this.#admin, this.runId, name)) return name;
    this.#mine.delete(name);
    return this.#make();
  }

  /**
   * A fresh database with the migrated schema: one made ahead of time in this process, else one
   * the global setup made for the workers, else a new copy.
   */
  async clone(): Promise<TestDatabase> {
    const started = performance.now();
    const ready = this.#ready.shift();
    const { name, pool } = ready ? await ready : { name: await this.#claimOrMake(), pool: undefined };
    this.#refill();
    debug(`clone ${name} handed out ${(performance.now() - started).toFixed(1)}ms`);
    return new TestDatabase({
      name,
      connectionString: withDatabase(this.serverUrl, name),
      template: this.name,
      ...(this.#poolSize ? { pool: this.#poolSize } : {}),
      openPool: pool,
      release: (released, keep) => this.#release(released, keep),
    });
  }

  async #release(name: string, keep: boolean): Promise<void> {
    if (this.#broker && !this.#mine.has(name)) {
      if (keep) this.#kept.add(name);
      const releasing = brokerClient(this.#broker)
        .release(name, keep)
        .catch((error: unknown) => debug(`release ${name} failed: ${String(error)}`))
        .finally(() => this.#drops.delete(releasing));
      this.#drops.add(releasing);
      if (keep) await releasing;
      return;
    }
    if (keep) {
      this.#kept.add(name);
      await markKept(this.#admin, name, this.runId, this.name);
      return;
    }
    const dropping = dropDatabase(this.#admin, name)
      .then(() => {
        this.#mine.delete(name);
      })
      .catch((error: unknown) => debug(`drop ${name} failed: ${String(error)}`))
      .finally(() => this.#drops.delete(dropping));
    this.#drops.add(dropping);
  }

  /** Drops the kit's clones of other runs that are older than `olderThanMs`. */
  dropLeftovers(olderThanMs: number): Promise<string[]> {
    return dropLeftoverClones(this.#admin, this.runId, olderThanMs);
  }

  /** Drops every clone of this run on the server (made by any process), except kept ones. */
  dropRun(): Promise<string[]> {
    return dropRunClones(this.#admin, this.runId);
  }

  /** Names of the databases kept (e.g. of failed tests). */
  get kept(): readonly string[] {
    return [...this.#kept];
  }

  /** Drops the clones this process made (kept ones excepted) and closes the admin pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const settled of await Promise.allSettled(this.#ready.splice(0))) {
      if (settled.status === 'fulfilled') await settled.value.pool?.end().catch(() => undefined);
    }
    await Promise.allSettled([...this.#drops]);
    for (const name of this.#mine)
      if (!this.#kept.has(name)) await dropDatabase(this.#admin, name).catch(() => undefined);
    await this.#admin.end();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Builds (or finds) the template for a migrations folder or {@link Migrator} on a server or
 * started container: one database per migrations hash, migrated once, then copied per test.
 *
 * @example
 * ```ts
 * await using template = await createTemplate(server, { migrations: './migrations' })
 * await using db = await template.clone()         // a fresh database with the schema
 * await db.query('INSERT INTO orders ...')
 * ```
 */
export async function createTemplate(server: StartedTimescale | string, options: TemplateOptions): Promise<Template> {
  const serverUrl = typeof server === 'string' ? server : server.connectionString;
  return Template.build(serverUrl, options);
}
