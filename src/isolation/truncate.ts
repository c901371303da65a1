import pg from 'pg';
import { type Connection, connectClient, connectionOf, ensureConnected, type SqlTarget } from '../connection/index.js';
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
  /** Only tables that hold rows (and the tables referencing them); one query finds them. */
  onlyDirty?: boolean;
  /** Skip the safeguard (a database the kit did not create, a remote host). */
  unsafe?: boolean;
}

export interface TruncateResult {
  /** Qualified names of the tables truncated, in catalog order. */
  truncated: string[];
}

interface TableInfo {
  schema: string;
  name: string;
  qualified: string;
  /** Indexes (into the table list) of tables with a foreign key to this one. */
  referencedBy: number[];
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
  const { rows } = await client.query<{ schema: string; name: string; refs: string[] }>(`
    SELECT n.nspname AS schema, c.relname AS name,
           coalesce(array_agg(DISTINCT rn.nspname || '.' || rc.relname) FILTER (WHERE rc.oid IS NOT NULL), '{}') AS refs
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_constraint fk ON fk.confrelid = c.oid AND fk.contype = 'f'
      LEFT JOIN pg_class rc ON rc.oid = fk.conrelid
      LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE c.relkind IN ('r', 'p')
       AND NOT c.relispartition
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'timescaledb_information', 'timescaledb_experimental')
       AND n.nspname NOT LIKE '\\_timescaledb%'
       AND n.nspname NOT LIKE 'pg\\_toast%'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     GROUP BY n.nspname, c.relname
     ORDER BY n.nspname, c.relname`);
  const qualified = rows.map((row) => `${row.schema}.${row.name}`);
  return rows.map((row, index) => ({
    schema: row.schema,
    name: row.name,
    qualified: qualified[index] ?? '',
    referencedBy: row.refs.map((ref) => qualified.indexOf(ref)).filter((i) => i >= 0),
  }));
}

function quoted(table: TableInfo): string {
  return `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.name)}`;
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
  const results: unknown = await target.query(cachedDirtyTruncation(tables, candidates, restart));
  const last = (Array.isArray(results) ? results[results.length - 1] : results) as pg.QueryResult<{
    truncated: string;
  }>;
  const chosen = (last.rows[0]?.truncated ?? '').split(',').filter(Boolean).map(Number);
  return { truncated: chosen.map((i) => (tables[i] as TableInfo).qualified) };
}

const truncationCache = new WeakMap<readonly TableInfo[], Map<string, string>>();

/** The statement for a catalog and a choice of tables, built once (the same between every test). */
function cachedDirtyTruncation(tables: readonly TableInfo[], candidates: readonly number[], restart: string): string {
  let byChoice = truncationCache.get(tables);
  if (!byChoice) {
    byChoice = new Map();
    truncationCache.set(tables, byChoice);
  }
  const key = `${candidates.join(',')}${restart}`;
  let sql = byChoice.get(key);
  if (sql === undefined) {
    sql = dirtyTruncation(tables, candidates, restart);
    byChoice.set(key, sql);
  }
  return sql;
}

/** Indexes of `start` and of every candidate table that references it, directly or not. */
function closure(tables: readonly TableInfo[], candidates: ReadonlySet<number>, start: number): number[] {
  const seen = new Set([start]);
  const pending = [start];
  for (let i = pending.pop(); i !== undefined; i = pending.pop()) {
    for (const ref of (tables[i] as TableInfo).referencedBy) {
      if (!seen.has(ref)) {
        seen.add(ref);
        pending.push(ref);
      }
    }
  }
  return [...seen].filter((i) => candidates.has(i)).sort((a, b) => a - b);
}

/**
 * One round trip: a DO block finds the tables holding rows (and the candidates referencing
 * them, which TRUNCATE needs too) and truncates them server-side, then a SELECT returns which
 * ones (their indexes, through a transaction-local setting).
 */
function dirtyTruncation(tables: readonly TableInfo[], candidates: readonly number[], restart: string): string {
  const set = new Set(candidates);
  const names = `ARRAY[${tables.map((table) => pg.escapeLiteral(quoted(table))).join(', ')}]::text[]`;
  const probes = candidates
    .map(
      (i) =>
        `  IF EXISTS (SELECT 1 FROM ${quoted(tables[i] as TableInfo)}) THEN dirty := dirty || ARRAY[${closure(tables, set, i).join(', ')}]; END IF;`,
    )
    .join('\n');
  const body = `
DECLARE
  names text[] := ${names};
  dirty int[] := ARRAY[]::int[];
  chosen int[];
BEGIN
${probes}
  chosen := ARRAY(SELECT DISTINCT i FROM unnest(dirty) AS i ORDER BY i);
  IF cardinality(chosen) > 0 THEN
    EXECUTE 'TRUNCATE ' || (SELECT string_agg(names[i + 1], ', ' ORDER BY i) FROM unnest(chosen) AS i) || ${pg.escapeLiteral(restart)};
  END IF;
  PERFORM set_config('timescale_testkit.truncated', array_to_string(chosen, ','), true);
END`;
  let tag = '$tk$';
  while (body.includes(tag)) tag = `$tk${Math.random().toString(36).slice(2, 8)}$`;
  return `DO ${tag}${body}${tag}; SELECT current_setting('timescale_testkit.truncated', true) AS truncated`;
}
