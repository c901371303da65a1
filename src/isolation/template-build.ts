// The template database itself: found by its migrations hash, or built, migrated and sealed,
// under an advisory lock so that concurrent runs build it once.
import pg from 'pg';
import { checkout, connectClient, createPool, withDatabase } from '../connection/index.js';
import { createDatabaseLikeOfficial } from '../contract/index.js';
import { currentRunId, logger, timed } from '../env/index.js';
import {
  isMigrationReport,
  type MigrationReport,
  type MigrationsSource,
  migratorHash,
  stopBackgroundWorkers,
  toMigrator,
} from '../migrate/index.js';
import { dropDatabase, markDatabase, terminateBackends } from './admin.js';
import { parseMarker } from './marker.js';
import { templateName } from './names.js';

const debug = logger('isolation');

const LOCK_SQL = 'SELECT pg_advisory_lock(hashtextextended($1, 0))';
const UNLOCK_SQL = 'SELECT pg_advisory_unlock(hashtextextended($1, 0))';

/** What building needs of the template's options. */
export interface BuildOptions {
  migrations: MigrationsSource;
  runId?: string;
  extensions?: readonly string[];
}

/** The template found or built: its name, whether this call built it, the folder runner's report. */
export interface BuiltTemplate {
  name: string;
  built: boolean;
  report: MigrationReport | undefined;
}

/** Keeps TimescaleDB's scheduler and every other session out of a database about to be a template. */
async function seal(admin: pg.Pool, serverUrl: string, name: string): Promise<void> {
  const client = await connectClient(withDatabase(serverUrl, name), `template ${name}`);
  try {
    await stopBackgroundWorkers(client);
  } finally {
    await client.end();
  }
  const id = pg.escapeIdentifier(name);
  await admin.query(`ALTER DATABASE ${id} WITH ALLOW_CONNECTIONS false`);
  await terminateBackends(admin, name);
  await admin.query(`ALTER DATABASE ${id} WITH IS_TEMPLATE true`);
}

/**
 * The template of these migrations: reused when a sealed template of the same hash exists,
 * else (re)built from scratch. A failed build leaves no half-built template behind.
 */
export async function findOrBuild(serverUrl: string, options: BuildOptions): Promise<BuiltTemplate> {
  const migrator = toMigrator(options.migrations, 'createTemplate: migrations');
  const hash = await migratorHash(migrator);
  const name = templateName(hash);
  const admin = createPool({ connectionString: serverUrl, max: 2 }, 'template build');
  const lock = await checkout(admin, 'template lock');
  let report: MigrationReport | undefined;
  let built = false;
  let creating = false;
  let locked = false;
  try {
    // a sealed template is never changed: found, it needs no lock (a warm start's one connection)
    let existing = await lookUp(lock, name);
    if (!sealed(existing, hash)) {
      await lock.query(LOCK_SQL, [name]);
      locked = true;
      // another run may have built it while this one waited
      existing = await lookUp(lock, name);
    }
    if (sealed(existing, hash)) {
      debug(`template ${name} reused`);
      return { name, built, report };
    }
    creating = true;
    if (existing) await dropDatabase(admin, name);
    await timed(debug, `template ${name} built${migrator.name ? ` by ${migrator.name}` : ''}`, async () => {
      await createDatabaseLikeOfficial(admin, serverUrl, name, options.extensions);
      const result: unknown = await migrator.migrate(withDatabase(serverUrl, name));
      if (isMigrationReport(result)) report = result;
      await seal(admin, serverUrl, name);
      await markDatabase(admin, name, {
        kind: 'template',
        runId: options.runId ?? currentRunId(),
        createdAt: Date.now(),
        hash,
      });
    });
    built = true;
    return { name, built, report };
  } catch (error) {
    if (creating && !built) await dropDatabase(admin, name).catch(() => undefined);
    throw error;
  } finally {
    if (locked) await lock.query(UNLOCK_SQL, [name]).catch(() => undefined);
    lock.release();
    await admin.end();
  }
}

interface Found {
  comment: string | null;
  isTemplate: boolean;
}

async function lookUp(client: pg.PoolClient, name: string): Promise<Found | undefined> {
  const { rows } = await client.query<Found>(
    `SELECT shobj_description(oid, 'pg_database') AS comment, datistemplate AS "isTemplate" FROM pg_database WHERE datname = $1`,
    [name],
  );
  return rows[0];
}

/** A template sealed by the kit for these migrations. */
function sealed(found: Found | undefined, hash: string): boolean {
  const marker = parseMarker(found?.comment);
  return found?.isTemplate === true && marker?.kind === 'template' && marker.hash === hash;
}
