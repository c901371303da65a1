import { DATABASE_CATALOG, describe, TABLE_CATALOG, type TableInfo } from './columns.js';
import { type Executor, type RawRow, renamePreparedStatements } from './queryable.js';

type RawRows = RawRow[];

/**
 * What is known of one database's tables: every user table, read in one query on first use,
 * and the tables looked up by name since (a name the first read did not know, such as a table
 * created later or a view, is read on its own).
 */
interface Catalog {
  all: Promise<ReadonlyMap<string, RawRows>> | undefined;
  readonly tables: Map<string, Promise<TableInfo>>;
  /** The template whose clones share it, when they do. */
  readonly template?: string;
}

/** Catalogs kept for databases named by a string, least recently used first. */
const MAX_NAMED = 16;
/** Databases whose schema left their template's (DDL, then forgetColumns): they keep their own catalog. */
const MAX_DIVERGED = 256;

const byObject = new WeakMap<object, Catalog>();
const byString = new Map<string, Catalog>();
const diverged = new Map<string, true>();

/**
 * Where the processes of one test run share what one of them read of a template's catalog (the
 * kit's runner integrations pass it through the run's clone broker): a process per test file
 * then reads the catalog once per run instead of once per file.
 */
export interface CatalogShare {
  /** The rows some process of the run kept for the template named `key`, if any. */
  get(key: string): Promise<readonly RawRow[] | undefined>;
  /** Keeps the rows read for the template named `key`. */
  put(key: string, rows: readonly RawRow[]): Promise<void>;
}

let share: CatalogShare | undefined;

/** Shares the catalogs of templates through `next` from now on (undefined: this process only). */
export function shareCatalogs(next: CatalogShare | undefined): void {
  share = next;
}

/** Puts `key` last (most recently used), dropping the oldest beyond `max`: bounded however many databases a process sees. */
function touch<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

/**
 * The catalog of the executor's database. Clones of one template share theirs (one read per
 * process, whichever clone asks first) unless the clone's own was forgotten after DDL; a
 * database named by a string keeps its own among the {@link MAX_NAMED} most recently used; a
 * pool or client keeps its own for as long as it lives.
 */
function catalogOf(executor: Executor): Catalog {
  const { key, shared } = executor;
  const name = shared !== undefined && !(typeof key === 'string' && diverged.has(key)) ? shared : key;
  if (typeof name !== 'string') {
    let catalog = byObject.get(name);
    if (!catalog) {
      catalog = { all: undefined, tables: new Map() };
      byObject.set(name, catalog);
    }
    return catalog;
  }
  const catalog = byString.get(name) ?? {
    all: undefined,
    tables: new Map(),
    template: name === shared ? name : undefined,
  };
  touch(byString, name, catalog, MAX_NAMED);
  return catalog;
}

/** The rows of every user table: kept by another process of the run for this template, or read. */
async function allRows(executor: Executor, template: string | undefined): Promise<readonly RawRow[]> {
  const from = share;
  if (!from || template === undefined) return executor.query(DATABASE_CATALOG);
  const kept = await from.get(template).catch(() => undefined);
  if (kept) return kept;
  const rows = await executor.query(DATABASE_CATALOG);
  // not waited for: the first create of the file goes on meanwhile
  from.put(template, rows).catch(() => undefined);
  return rows;
}

/** Every user table's catalog rows, by the name it resolves by and by `schema.table`. */
async function readAll(executor: Executor, template: string | undefined): Promise<ReadonlyMap<string, RawRows>> {
  const tables = new Map<string, RawRows>();
  for (const row of await allRows(executor, template)) {
    const names = [row.regclass ?? '', row.qualified ?? ''];
    let rows = tables.get(names[0] as string);
    if (!rows) {
      rows = [];
      for (const name of names) if (!tables.has(name)) tables.set(name, rows);
    }
    rows.push(row);
  }
  return tables;
}

async function load(executor: Executor, catalog: Catalog, table: string): Promise<TableInfo> {
  if (!catalog.all) {
    const all = readAll(executor, catalog.template);
    catalog.all = all;
    all.catch(() => {
      if (catalog.all === all) catalog.all = undefined;
    });
  }
  const known = (await catalog.all).get(table);
  return describe(table, known ?? (await executor.query(TABLE_CATALOG, [table])));
}

/**
 * The table's columns (named as SQL would resolve it), from the catalog of its database: every
 * user table is read in one query the first time, then served from memory (misses are retried).
 */
export function tableInfo(executor: Executor, table: string): Promise<TableInfo> {
  const catalog = catalogOf(executor);
  const cached = catalog.tables.get(table);
  if (cached) return cached;
  const loading = load(executor, catalog, table);
  catalog.tables.set(table, loading);
  loading.catch(() => catalog.tables.delete(table));
  return loading;
}

/**
 * Forgets what was read of a database's tables (after DDL, say): the next use reads them again.
 * A clone named by its connection string keeps its own catalog from then on, apart from its
 * template's.
 */
export function forgetColumns(key: object | string): void {
  renamePreparedStatements();
  if (typeof key !== 'string') {
    byObject.delete(key);
    return;
  }
  byString.delete(key);
  touch(diverged, key, true, MAX_DIVERGED);
}

/** How many databases named by a string have a catalog in memory (bounded by {@link MAX_NAMED}). */
export function namedCatalogs(): number {
  return byString.size;
}
