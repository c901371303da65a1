import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { logger } from '../env/index.js';
import { cloneDatabase } from './admin.js';
import { type DatabaseMarker, MARKER_PREFIX } from './marker.js';
import { sharedPrefix } from './names.js';

const debug = logger('isolation');

/** How often the pool looks for clones to replace (a cheap query on pg_database). */
const TOP_UP_MS = 25;
/** Clones made at once while the pool is short: `CREATE DATABASE`s from one template share its lock. */
const FILL_CONCURRENCY = 2;

/**
 * Keeps `size` clones waiting for the workers, like IntegreSQL's pool: the run's global setup
 * fills it, then tops it up as workers claim clones (a cheap look at pg_database every few ms).
 * A waiting clone does not allow connections: TimescaleDB's launcher starts no scheduler on it
 * (it would on a connectable one at every other clone's claim or drop), so nothing is connected
 * when a worker renames it, and the RENAME does not wait for a scheduler to go away.
 */
export class SharedClonePool {
  #counter = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly admin: pg.Pool,
    private readonly template: string,
    private readonly runId: string,
    private readonly size: number,
  ) {}

  async #waiting(): Promise<number> {
    const { rows } = await this.admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_database WHERE starts_with(datname, $1)',
      [sharedPrefix(this.runId)],
    );
    return rows[0]?.n ?? 0;
  }

  #make(): Promise<void> {
    this.#counter++;
    const marker: DatabaseMarker = { kind: 'clone', runId: this.runId, createdAt: Date.now(), template: this.template };
    return cloneDatabase(this.admin, this.template, `${sharedPrefix(this.runId)}${this.#counter}`, marker, {
      allowConnections: false,
    });
  }

  /** Makes the missing clones, {@link FILL_CONCURRENCY} at a time (workers may be waiting). */
  async #fill(target = this.size): Promise<void> {
    let missing = target - (await this.#waiting());
    const lane = async () => {
      while (missing > 0 && !this.#stopped) {
        missing--;
        await this.#make();
      }
    };
    await Promise.all(Array.from({ length: Math.min(FILL_CONCURRENCY, Math.max(missing, 0)) }, lane));
  }

  /**
   * Makes `ready` clones (default: all of them), then fills the pool and keeps it topped up in
   * the background until {@link stop}.
   */
  async start(ready = this.size): Promise<void> {
    if (this.size <= 0) return;
    await this.#fill(Math.min(ready, this.size));
    this.#loop = (async () => {
      while (!this.#stopped) {
        await sleep(TOP_UP_MS);
        await this.#fill().catch((error: unknown) => debug(`shared clone pool: ${String(error)}`));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}

/**
 * Renames one waiting shared clone to `name` and opens it to connections, in one round trip
 * (one simple query, so one implicit transaction: never renamed yet closed); false when none
 * is left. Only marked clones are candidates: one still between its CREATE and its marker
 * comment stays in the pool, so every claimed clone carries the kit's marker.
 */
export async function claimShared(admin: pg.Pool, runId: string, name: string): Promise<boolean> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database
      WHERE starts_with(datname, $1) AND starts_with(shobj_description(oid, 'pg_database'), $2)
      ORDER BY datname`,
    [sharedPrefix(runId), MARKER_PREFIX],
  );
  const claimed = pg.escapeIdentifier(name);
  // each process starts at its own place in the list, so that workers claiming at the same
  // moment rarely reach for the same clone (a lost race costs a round trip)
  const start = rows.length === 0 ? 0 : process.pid % rows.length;
  for (const { datname } of [...rows.slice(start), ...rows.slice(0, start)]) {
    try {
      await admin.query(
        `ALTER DATABASE ${pg.escapeIdentifier(datname)} RENAME TO ${claimed}; ALTER DATABASE ${claimed} WITH ALLOW_CONNECTIONS true`,
      );
      debug(`claimed shared clone ${datname} as ${name}`);
      return true;
    } catch (error) {
      // another worker renamed it first (it no longer exists under that name): try the next
      debug(`shared clone ${datname} not claimed: ${(error as Error).message}`);
    }
  }
  return false;
}
