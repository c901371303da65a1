import type pg from 'pg';
import { type Connection, isTrustedHost } from '../connection/index.js';
import { envFlag } from '../env/index.js';
import { UnsafeDatabaseError } from './errors.js';

/** Every database the kit creates carries a comment that starts with this. */
export const MARKER_PREFIX = 'timescale-testkit:';

interface MarkerBase {
  /** The run that made the database. */
  runId: string;
  createdAt: number;
}

/** A migrated template: `hash` is the migrations' hash it was built for. */
export interface TemplateMarker extends MarkerBase {
  kind: 'template';
  hash: string;
}

/** A clone of `template`. */
export interface CloneMarker extends MarkerBase {
  kind: 'clone';
  template: string;
  /** Set on a clone kept after a failed test: teardown leaves it. */
  kept?: boolean;
}

export type DatabaseMarker = TemplateMarker | CloneMarker;

export function markerComment(marker: DatabaseMarker): string {
  return `${MARKER_PREFIX}${JSON.stringify(marker)}`;
}

export function parseMarker(comment: string | null | undefined): DatabaseMarker | undefined {
  if (!comment?.startsWith(MARKER_PREFIX)) return undefined;
  try {
    const marker = JSON.parse(comment.slice(MARKER_PREFIX.length)) as DatabaseMarker & { hash?: string };
    // version 0.1 wrote a clone's template into `hash`
    if (marker.kind === 'clone' && marker.template === undefined && marker.hash !== undefined) {
      const { hash, ...clone } = marker;
      return { ...clone, template: hash };
    }
    return marker;
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/** The host of env TIMESCALE_TESTKIT_URL, the server the run was pointed at. */
function configuredHost(): string | undefined {
  const url = process.env.TIMESCALE_TESTKIT_URL;
  return url ? new URL(url).hostname : undefined;
}

export function isSafeHost(host: string): boolean {
  return (
    LOOPBACK.has(host) ||
    host.startsWith('/') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    isTrustedHost(host) ||
    host === configuredHost()
  );
}

function allowAny(unsafe: boolean | undefined): boolean {
  return unsafe === true || envFlag('TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE') === true;
}

/**
 * Throws {@link UnsafeDatabaseError} unless the connected database carries the kit's marker
 * and lives on loopback or a trusted (kit container or explicitly configured) host. Resolves to
 * true when it checked, false when an opt-out (`unsafe`, TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE)
 * skipped the check.
 */
export async function assertDisposable(client: Connection, action: string, unsafe?: boolean): Promise<boolean> {
  if (allowAny(unsafe)) return false;
  const host = hostOf(client);
  if (!isSafeHost(host)) {
    throw new UnsafeDatabaseError(action, databaseOf(client), host, 'the host is neither loopback nor a kit container');
  }
  const { rows } = await client.query<{ name: string; comment: string | null }>(
    "SELECT current_database() AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()",
  );
  const name = rows[0]?.name ?? '?';
  if (!parseMarker(rows[0]?.comment)) throw new UnsafeDatabaseError(action, name, host, 'the kit did not create it');
  return true;
}

function paramsOf(client: Connection): { host: string; database: string } {
  const options: { host?: unknown; database?: unknown; connectionString?: unknown } =
    'options' in client && client.options ? client.options : (client as pg.Client);
  if (typeof options.connectionString === 'string') {
    const url = new URL(options.connectionString);
    return { host: url.hostname, database: decodeURIComponent(url.pathname.slice(1)) };
  }
  return {
    host: typeof options.host === 'string' ? options.host : (process.env.PGHOST ?? 'localhost'),
    database: typeof options.database === 'string' ? options.database : (process.env.PGDATABASE ?? '?'),
  };
}

/** The host a pool or client connects to, as configured (no connection made). */
export function hostOf(client: Connection): string {
  return paramsOf(client).host;
}

function databaseOf(client: Connection): string {
  return paramsOf(client).database;
}
