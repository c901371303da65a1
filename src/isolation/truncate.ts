import type pg from 'pg';
import { type Connection, connectClient, connectionOf, ensureConnected, type SqlTarget } from '../connection/index.js';
import { quoted, type TableInfo, truncateDirty } from './dirty-truncation.js';
import { assertDisposable } from './marker.js';

/** Ledgers of the kit and of common migration tools: never truncated by default. */
export const LEDGER_TABLES: readonly string[] = [
  'timescale_testkit_migrations',
  'schema_migrations',
  'goose_db_version',
  'flyway_schema_history',
  '_prisma_migrations',
  '__drizzle_migrations',
];

export interface TruncateOptions {
  /** Tables to keep, as `name` or `schema.name`. */
  except?: readonly string[];
  /** RESTART IDENTITY (default true). */
  restartIdentity?: boolean;
  /**
   * Only tables that may hold rows (and the tables referencing them): a table whose file has
   * pages, a hypertable with a chunk, a partitioned table with a partition that has pages.
   * Found from the catalog (no table is scanned) and truncated in the same round trip.
   */
  onlyDirty?: boolean;
  /** Skip the safeguard (a database the kit did not create, a remote host). */
  unsafe?: boolean;
}

export interface TruncateResult {
  /** Qualified names of the tables truncated, in catalog order. */
  truncated: string[];
}

type Target = Connection;
const catalogCache = new WeakMap<object, Promise<TableInfo[]>>();
/**
 * Pools and clients whose database passed the safeguard. A pool or client always connects to
 * the same host and database, and the kit's marker stays on the database, so the check (one
 * round trip) runs once per target instead of before every truncation between tests.
 */
const verified = new WeakSet<object>();

async function checkOnce(target: Target, unsafe: boolean | undefined): Promise<void> {
  if (verified.has(target)) return;
  // with an opt-out the check is skipped: nothing is remembered as verified
  if (await assertDisposable(target, 'truncate', unsafe)) verified.add(target);
}

/** User tables, hypertables included; TimescaleDB's internal schemas and extension tables left out. */
async function readTables(client: Target): Promise<TableInfo[]> {
  const { rows } = await client.query<{ schema: string; name: string; oid: number; kind: 'r' | 'p'; refs: string[] }>(`
    SELECT n.nspname AS schema, c.relname AS name, c.oid AS oid, c.relkind::text AS kind,
           coalesce(array_agg(DISTINCT rn.nspname || '.' || rc.relname) FILTER (WHERE rc.oid IS NOT NULL), '{}') AS refs
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_constraint fk ON fk.confrelid = c.oid AND fk.contype = 'f'
      LEFT JOIN pg_class rc ON rc.oid = fk.conrelid
      LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE c.relkind IN ('r', 'p')
       AND c.relpersistence <> 't'
       AND NOT c.relispartition
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'timescaledb_information', 'timescaledb_experimental')
       AND n.nspname NOT LIKE '\\_timescaledb%'
       AND n.nspname NOT LIKE 'pg\\_toast%'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     GROUP BY n.nspname, c.relname, c.oid, c.relkind
     ORDER BY n.nspname, c.relname`);
  const qualified = rows.map((row) => `${row.schema}.${row.name}`);
  return rows.map((row, index) => ({
    schema: row.schema,
    name: row.name,
    qualified: qualified[index] ?? '',
    oid: row.oid,
    kind: row.kind,
    referencedBy: row.refs.map((ref) => qualified.indexOf(ref)).filter((i) => i >= 0),
  }));
}

/** Forget the cached table list of a pool or client (after DDL in a test). */
export function forgetTables(target: Target): void {
  catalogCache.delete(target);
}

/**
 * Empties every user table (hypertables included, migration ledgers excluded) in one
 * TRUNCATE. With `onlyDirty`, only the tables holding rows (and those referencing them), found
 * and truncated server-side in the same round trip. A pg.Client that was never connected is
 * connected first (the caller still ends it). Only databases the kit created are accepted.
 *
 * @example
 * ```ts
 * await truncateAll(db.pool, { onlyDirty: true, except: ['settings'] })
 * ```
 */
export async function truncateAll(sql: SqlTarget, options: TruncateOptions = {}): Promise<TruncateResult> {
  const target = connectionOf(sql);
  if (target === undefined) {
    const client = await connectClient(sql as string, 'truncate');
    try {
      return await truncateAll(client, options);
    } finally {
      await client.end();
    }
  }
  // a client created but never connected would queue the first query forever
  if (!('totalCount' in target)) await ensureConnected(target as pg.Client);
  await checkOnce(target, options.unsafe);
  let cached = catalogCache.get(target);
  if (!cached) {
    cached = readTables(target);
    catalogCache.set(target, cached);
    cached.catch(() => catalogCache.delete(target));
  }
  const tables = await cached;
  const skip = new Set([...LEDGER_TABLES, ...(options.except ?? [])]);
  const candidates = tables
    .map((_, i) => i)
    .filter((i) => {
      const table = tables[i] as TableInfo;
      return !skip.has(table.name) && !skip.has(table.qualified);
    });

  if (candidates.length === 0) return { truncated: [] };
  const restart = options.restartIdentity === false ? '' : ' RESTART IDENTITY';
  if (!options.onlyDirty) {
    await target.query(`TRUNCATE ${candidates.map((i) => quoted(tables[i] as TableInfo)).join(', ')}${restart}`);
    return { truncated: candidates.map((i) => (tables[i] as TableInfo).qualified) };
  }
  const chosen = await truncateDirty(target, tables, candidates, restart);
  return { truncated: chosen.map((i) => (tables[i] as TableInfo).qualified) };
}
