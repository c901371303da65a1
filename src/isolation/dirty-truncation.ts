// Dirty-only truncation: which tables may hold rows, read from the catalog, and their TRUNCATE,
// in one round trip through a function in the session's temporary schema.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { type Connection, checkout } from '../connection/index.js';

type Target = Connection;

export interface TableInfo {
  schema: string;
  name: string;
  qualified: string;
  /** pg_class oid: the dirty probe reads the relation's size by it, without planning a scan. */
  oid: number;
  /** 'p' for a declaratively partitioned table, 'r' otherwise (hypertables included). */
  kind: 'r' | 'p';
  /** Indexes (into the table list) of tables with a foreign key to this one. */
  referencedBy: number[];
}

export function quoted(table: TableInfo): string {
  return `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.name)}`;
}

/** Targets whose role may not create temporary objects: the truncation runs as a DO block. */
const withoutTemp = new WeakSet<object>();
/** Per connection, the truncation functions its session holds (created outside a transaction). */
const installed = new WeakMap<pg.ClientBase, Set<string>>();

/**
 * Runs the dirty-only truncation: through the session's function when the role may create
 * one, else as a DO block (planned anew on each call). Either way one round trip.
 */
export async function truncateDirty(
  target: Target,
  tables: readonly TableInfo[],
  candidates: readonly number[],
  restart: string,
): Promise<number[]> {
  const truncation = cachedDirtyTruncation(tables, candidates, restart);
  if (!withoutTemp.has(target)) {
    try {
      return await onConnection(target, (client) => viaFunction(client, truncation));
    } catch (error) {
      // 42501: no TEMP privilege on the database (the kit's own databases always have it)
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (code !== '42501' || !/temporary/i.test(String(message))) throw error;
      withoutTemp.add(target);
    }
  }
  const indexes = String(lastRow(await target.query(truncation.viaDo)) ?? '');
  return indexes.split(',').filter(Boolean).map(Number);
}

/** Runs `work` on the target's client, or on one checked out of the pool (released as pool.query does). */
async function onConnection<T>(target: Target, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!('totalCount' in target)) return work(target);
  const client = await checkout(target, 'truncate');
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (error) {
    client.release(error instanceof Error ? error : undefined);
    throw error;
  }
}

/**
 * Outside a transaction, a session that holds the function just calls it (one round trip of a
 * SELECT), and one that does not creates it in the same round trip. Inside a transaction a
 * rollback may take back what is created there, so a DO guard checks and creates it first.
 */
async function viaFunction(client: pg.ClientBase, truncation: DirtyTruncation): Promise<number[]> {
  const idle = (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.() === 'I';
  if (!idle) return lastRow(await client.query(truncation.guarded)) as number[];
  let held = installed.get(client);
  if (held?.has(truncation.name)) {
    try {
      return lastRow(await client.query(truncation.call)) as number[];
    } catch (error) {
      // 42883: gone from the session (DISCARD); outside a transaction nothing else was affected
      if ((error as { code?: unknown }).code !== '42883') throw error;
      held.delete(truncation.name);
    }
  }
  const chosen = lastRow(await client.query(truncation.createAndCall)) as number[];
  if (!held) {
    held = new Set();
    installed.set(client, held);
  }
  held.add(truncation.name);
  return chosen;
}

/** The single column of the first row of a multi-statement query's last result. */
function lastRow(results: unknown): unknown {
  const last = (Array.isArray(results) ? results[results.length - 1] : results) as pg.QueryResult<{
    truncated: unknown;
  }>;
  return last.rows[0]?.truncated;
}

interface DirtyTruncation {
  /** The session's function (pg_temp.…), named after its text. */
  name: string;
  /** Calls it. */
  call: string;
  /** Creates (or replaces) it, then calls it. */
  createAndCall: string;
  /** Creates it when it is missing (a DO guard), then calls it. */
  guarded: string;
  /** The same body as a DO block, for a role without the TEMP privilege. */
  viaDo: string;
}

const truncationCache = new WeakMap<readonly TableInfo[], Map<string, DirtyTruncation>>();

/** The statements for a catalog and a choice of tables, built once (the same between every test). */
function cachedDirtyTruncation(
  tables: readonly TableInfo[],
  candidates: readonly number[],
  restart: string,
): DirtyTruncation {
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
 * Whether a table may hold rows, read from the relation's size and the catalog, without
 * planning a scan of it (a scan of a hypertable expands every chunk). A table that never held
 * a row has no pages; TRUNCATE gives it a new, empty file. A hypertable holds its rows in
 * chunks (compressed ones too), children outside the user's tables: any chunk means dirty, and
 * its TRUNCATE drops them. An inheritance child among the user's tables is probed on its own
 * (its parent is not dirty for it). A partitioned table is dirty when one of its partitions has pages.
 * The test may over-report (rows deleted, an insert rolled back): the table is then truncated,
 * which is still right. The tables come as oids in a variable, not regclass constants: a plan
 * holding those would be invalidated by every TRUNCATE of them and planned again on the next
 * call.
 */
function probe(table: TableInfo, at: number): string {
  const rel = `rel[${at}]`;
  if (table.kind === 'p') {
    return `EXISTS (SELECT 1 FROM pg_catalog.pg_partition_tree(${rel}::regclass) AS part WHERE pg_catalog.pg_relation_size(part.relid) > 0)`;
  }
  return `pg_catalog.pg_relation_size(${rel}::regclass) > 0 OR ${rel} = ANY (parents)`;
}

/**
 * One round trip. A plpgsql body reads which tables have chunks (one catalog query), then
 * probes each candidate with one IF, marking it and the candidates that reference it (which
 * TRUNCATE needs too, worked out here), and truncates the marked tables. Each probe of a plain
 * table is a simple expression, which plpgsql evaluates without starting the executor. The
 * body lives in a function of the session's temporary schema, named after its text: the first
 * call on a connection creates it, later calls reuse its cached plans (a DO block is planned
 * anew every time). A DO guard recreates it when missing (a new connection, DISCARD, or a
 * rollback of the transaction that created it); nothing is added to the database's own schemas.
 */
function dirtyTruncation(
  tables: readonly TableInfo[],
  candidates: readonly number[],
  restart: string,
): DirtyTruncation {
  const set = new Set(candidates);
  const probes = candidates.map((i, at) => {
    const marks = closure(tables, set, i)
      .map((member) => `dirty[${member + 1}] := true;`)
      .join(' ');
    return `  IF ${probe(tables[i] as TableInfo, at + 1)} THEN ${marks} END IF;`;
  });
  // every candidate is in its own closure: each may be marked, in catalog order
  const collects = [...candidates]
    .sort((a, b) => a - b)
    .map(
      (i) =>
        `  IF dirty[${i + 1}] THEN list := list || ${pg.escapeLiteral(`, ${quoted(tables[i] as TableInfo)}`)}; chosen := chosen || ${i}; END IF;`,
    );
  const body = (finish: string) => `
DECLARE
  rel oid[] := ARRAY[${candidates.map((i) => (tables[i] as TableInfo).oid).join(', ')}]::oid[];
  known oid[] := ARRAY[${tables.map((table) => table.oid).join(', ')}]::oid[];
  parents oid[];
  dirty boolean[] := array_fill(false, ARRAY[${tables.length}]);
  list text := '';
  chosen int[] := '{}';
BEGIN
  parents := ARRAY(SELECT DISTINCT inhparent FROM pg_catalog.pg_inherits WHERE inhparent = ANY (rel) AND inhrelid <> ALL (known));
${probes.join('\n')}
${collects.join('\n')}
  IF list <> '' THEN
    EXECUTE 'TRUNCATE ' || substr(list, 3) || ${pg.escapeLiteral(restart)};
  END IF;
  ${finish}
END`;
  const inFunction = body('RETURN chosen;');
  const inDo = body("PERFORM set_config('timescale_testkit.truncated', array_to_string(chosen, ','), true);");
  const fn = `pg_temp.timescale_testkit_truncate_${createHash('sha256').update(inFunction).digest('hex').slice(0, 16)}`;
  const create = `CREATE OR REPLACE FUNCTION ${fn}() RETURNS int[] LANGUAGE plpgsql AS ${dollarQuoted(inFunction)}`;
  const guard = `BEGIN IF to_regprocedure(${pg.escapeLiteral(`${fn}()`)}) IS NULL THEN EXECUTE ${pg.escapeLiteral(create)}; END IF; END`;
  const call = `SELECT ${fn}() AS truncated`;
  return {
    name: fn,
    call,
    createAndCall: `${create}; ${call}`,
    guarded: `DO ${dollarQuoted(guard)}; ${call}`,
    viaDo: `DO ${dollarQuoted(inDo)}; SELECT current_setting('timescale_testkit.truncated', true) AS truncated`,
  };
}

/** A dollar-quoted literal whose tag does not occur in the text. */
function dollarQuoted(text: string): string {
  let tag = '$tk$';
  while (text.includes(tag)) tag = `$tk${Math.random().toString(36).slice(2, 8)}$`;
  return `${tag}${text}${tag}`;
}
