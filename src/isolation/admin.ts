import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { connectClient } from '../connection/index.js';
import { CloneError } from './errors.js';
import { type DatabaseMarker, markerComment } from './marker.js';

const OBJECT_IN_USE = '55006';
const CLONE_ATTEMPTS = 8;

/** Ends every other session connected to `database` (stray clients, TimescaleDB's scheduler). */
export async function terminateBackends(admin: pg.Pool, database: string): Promise<void> {
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
}

/**
 * Cancels the running statement of these server processes, from a connection of its own (the
 * pool the statements run on may have no connection to spare). A process with nothing running
 * is left alone.
 */
export async function cancelBackends(connectionString: string, pids: readonly number[]): Promise<void> {
  if (pids.length === 0) return;
  const client = await connectClient(connectionString, 'cancel');
  try {
    await client.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === OBJECT_IN_USE;
}

export interface CloneOptions {
  /**
   * false: nobody can connect until `ALTER DATABASE ... WITH ALLOW_CONNECTIONS true` (a shared
   * clone, when claimed) — not even TimescaleDB's scheduler, which the launcher otherwise starts
   * on every connectable database with the extension, and which then holds up a RENAME.
   */
  allowConnections?: boolean;
}

const fileCopy = new WeakMap<pg.Pool, Promise<boolean>>();

/**
 * Whether the server can copy a template's files (PostgreSQL 15+, `STRATEGY FILE_COPY`): a test
 * template is small and clean, and copying its files is about a third faster than writing it
 * through the WAL (15's default), measured here at 25 ms against 37–42 ms.
 */
function copiesFiles(admin: pg.Pool): Promise<boolean> {
  let known = fileCopy.get(admin);
  if (!known) {
    known = admin
      .query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version")
      .then(({ rows }) => (rows[0]?.version ?? 0) >= 150_000);
    known.catch(() => fileCopy.delete(admin));
    fileCopy.set(admin, known);
  }
  return known;
}

/**
 * `CREATE DATABASE name TEMPLATE template`, retried (bounded) when the template is briefly in
 * use (SQLSTATE 55006, e.g. TimescaleDB's scheduler connecting), then marked as the kit's.
 * The marker is a comment (a shared catalog): setting it does not connect to the clone.
 */
export async function cloneDatabase(
  admin: pg.Pool,
  template: string,
  name: string,
  marker: DatabaseMarker,
  { allowConnections = true }: CloneOptions = {},
): Promise<void> {
  const strategy = (await copiesFiles(admin)) ? ' STRATEGY FILE_COPY' : '';
  const create = `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}${strategy}${allowConnections ? '' : ' ALLOW_CONNECTIONS false'}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(create);
      break;
    } catch (error) {
      if (!isInUse(error) || attempt >= CLONE_ATTEMPTS) {
        throw new CloneError(
          `Could not clone "${template}" into "${name}" (attempt ${attempt}): ${(error as Error).message}`,
          error,
        );
      }
      await terminateBackends(admin, template);
      await sleep(10 * 2 ** attempt);
    }
  }
  await markDatabase(admin, name, marker);
}

/** Writes the kit's marker on a database (a comment: a shared catalog, no connection to it). */
export async function markDatabase(admin: pg.Pool, name: string, marker: DatabaseMarker): Promise<void> {
  await admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${pg.escapeLiteral(markerComment(marker))}`);
}

/** Marks a clone as kept (a failed test's, for inspection): the run's teardown and prune leave it. */
export function markKept(admin: pg.Pool, name: string, runId: string, template: string): Promise<void> {
  return markDatabase(admin, name, { kind: 'clone', runId, createdAt: Date.now(), template, kept: true });
}

/** How long a drop lets client connections that are closing (a pool just ended) go on their own. */
const DROP_GRACE_MS = 100;
const DROP_POLL_MS = 10;

/**
 * Drops a database (a template is unsealed first). Client connections still on it get up to
 * {@link DROP_GRACE_MS} to leave on their own — `pool.end()` resolves before the server has
 * closed its connections, and a connection ended by FORCE in that moment surfaces as an
 * `error` event in the application — then `WITH (FORCE)` ends the rest.
 */
export async function dropDatabase(admin: pg.Pool, name: string): Promise<void> {
  const id = pg.escapeIdentifier(name);
  const state = async () =>
    (
      await admin.query<{ t: boolean; clients: number }>(
        `SELECT datistemplate AS t,
                (SELECT count(*) FROM pg_stat_activity a
                  WHERE a.datname = d.datname AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid())::int
                  AS clients
           FROM pg_database d WHERE datname = $1`,
        [name],
      )
    ).rows[0];
  let current = await state();
  if (!current) return;
  for (let waited = 0; current.clients > 0 && waited < DROP_GRACE_MS; waited += DROP_POLL_MS) {
    await sleep(DROP_POLL_MS);
    current = await state();
    if (!current) return;
  }
  if (current.t) await admin.query(`ALTER DATABASE ${id} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`);
  await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
}

export interface KitDatabaseRow {
  name: string;
  comment: string | null;
  isTemplate: boolean;
}

/** Databases on the server whose comment carries the kit's marker. */
export async function listKitDatabases(admin: pg.Pool): Promise<KitDatabaseRow[]> {
  const { rows } = await admin.query<KitDatabaseRow>(
    `SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment, datistemplate AS "isTemplate"
       FROM pg_database
      WHERE shobj_description(oid, 'pg_database') LIKE 'timescale-testkit:%'`,
  );
  return rows;
}
