import type pg from 'pg';
import { logger } from '../env/index.js';
import { dropDatabase, listKitDatabases } from './admin.js';
import { parseMarker } from './marker.js';
import { runPrefix } from './names.js';

const debug = logger('isolation');

/** Drops the kit's clones of other runs that are older than `olderThanMs` (crashed runs). */
export async function dropLeftoverClones(admin: pg.Pool, runId: string, olderThanMs: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const db of await listKitDatabases(admin)) {
    const marker = parseMarker(db.comment);
    if (marker?.kind !== 'clone' || marker.runId === runId) continue;
    if (Date.now() - marker.createdAt < olderThanMs) continue;
    await dropDatabase(admin, db.name);
    dropped.push(db.name);
  }
  if (dropped.length > 0) debug(`dropped ${dropped.length} leftover clone(s)`);
  return dropped;
}

/**
 * Drops the kit's templates other than `current` built more than `olderThanMs` ago, so a
 * reused container does not collect one template per migrations change forever. A template
 * dropped too eagerly is rebuilt on demand by the next run that needs it.
 */
export async function dropStaleTemplates(admin: pg.Pool, current: string, olderThanMs: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const db of await listKitDatabases(admin)) {
    const marker = parseMarker(db.comment);
    if (marker?.kind !== 'template' || db.name === current) continue;
    if (Date.now() - marker.createdAt < olderThanMs) continue;
    await dropDatabase(admin, db.name);
    dropped.push(db.name);
  }
  if (dropped.length > 0) debug(`dropped ${dropped.length} stale template(s)`);
  return dropped;
}

/**
 * Drops every clone of a run on the server (made by any process), except kept ones; by
 * marker, and by name for a clone caught between its creation and its marker.
 */
export async function dropRunClones(admin: pg.Pool, runId: string): Promise<string[]> {
  const prefix = runPrefix(runId);
  const { rows } = await admin.query<{ name: string; comment: string | null }>(
    "SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE NOT datistemplate",
  );
  const dropped: string[] = [];
  for (const db of rows) {
    const marker = parseMarker(db.comment);
    const ours = marker ? marker.kind === 'clone' && marker.runId === runId : db.name.startsWith(prefix);
    if (!ours || (marker?.kind === 'clone' && marker.kept)) continue;
    await dropDatabase(admin, db.name);
    dropped.push(db.name);
  }
  return dropped;
}
