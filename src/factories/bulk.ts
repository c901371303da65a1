import pg from 'pg';
import { type ColumnInfo, decodeValue, encodeValue, type TableInfo } from './columns.js';
import { type CopyGroup, copyGroup, DEFAULT_COPY_THRESHOLD, echoRows } from './copy.js';
import { type FailedBatch, insertError } from './diagnose.js';
import { FactoryError } from './errors.js';
import type { Executor, RawRow } from './queryable.js';

/** Rows per statement. Each statement binds one text[] parameter per column, whatever the row count. */
export const DEFAULT_BATCH_SIZE = 5_000;

export interface InsertOptions {
  /** Name for error messages. */
  factory: string;
  seed?: number;
  batchSize?: number;
  /** The rows are a list the caller gave: errors name the index of the refused row. */
  list?: boolean;
  /** Groups of at least this many rows are written with COPY; default {@link DEFAULT_COPY_THRESHOLD}. */
  copyThreshold?: number;
}

type Attributes = Readonly<Record<string, unknown>>;

function columnsOf(table: TableInfo, row: Attributes, factory: string, seed?: number): ColumnInfo[] {
  const columns: ColumnInfo[] = [];
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const column = table.byKey.get(key);
    if (!column) {
      const known = table.columns.map((c) => c.key).join(', ');
      throw new FactoryError(
        'FACTORY_COLUMN',
        factory,
        `${table.table} has no column for "${key}" (columns: ${known})`,
        {
          ...(seed === undefined ? {} : { seed }),
        },
      );
    }
    if (column.generated) {
      throw new FactoryError('FACTORY_COLUMN', factory, `${table.table}.${column.name} is a generated column`, {
        ...(seed === undefined ? {} : { seed }),
      });
    }
    columns.push(column);
  }
  return columns.sort((a, b) => table.columns.indexOf(a) - table.columns.indexOf(b));
}

/** `INSERT ... SELECT FROM unnest($1::type[], ...)`: one statement for a whole batch. */
function statement(table: TableInfo, columns: readonly ColumnInfo[], returning: boolean): string {
  const names = columns.map((column) => pg.escapeIdentifier(column.name)).join(', ');
  const overriding = columns.some((column) => column.identityAlways) ? ' OVERRIDING SYSTEM VALUE' : '';
  const parameters = columns
    .map((column, index) => `$${index + 1}::${column.kind === 'array' ? 'text' : column.type}[]`)
    .join(', ');
  const aliases = columns.map((_, index) => `a${index}`);
  const select = columns
    .map((column, index) => (column.kind === 'array' ? `u.a${index}::${column.type}` : `u.a${index}`))
    .join(', ');
  if (columns.length === 0) {
    return `INSERT INTO ${table.sql} SELECT FROM generate_series(1, $1::int)${returning ? ` RETURNING ${table.returning}` : ''}`;
  }
  const source = `unnest(${parameters}) WITH ORDINALITY AS u(${aliases.join(', ')}, ord)`;
  const tail = returning ? ` ORDER BY u.ord RETURNING ${table.returning}` : '';
  return `INSERT INTO ${table.sql} (${names})${overriding} SELECT ${select} FROM ${source}${tail}`;
}

function quote(text: string | null): string {
  if (text === null) return 'NULL';
  return text.includes('"') || text.includes('\\') ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
}

function parametersFor(columns: readonly ColumnInfo[], rows: readonly Attributes[]): unknown[] {
  if (columns.length === 0) return [rows.length];
  return columns.map((column) => {
    const { key } = column;
    // strings go as they are except into json columns (where a string is a JSON string)
    const plain = column.kind !== 'json';
    const parts = new Array<string>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const value = (rows[index] as Attributes)[key];
      parts[index] = plain && typeof value === 'string' ? quote(value) : quote(encodeValue(column, value));
    }
    return `{${parts.join(',')}}`;
  });
}

/** A returned text row back to a camelCase row of JS values. */
export function decodeRow(table: TableInfo, raw: RawRow): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  table.columns.forEach((column, index) => {
    row[column.key] = decodeValue(column, raw[`c${index}`] ?? null);
  });
  return row;
}

type Group = CopyGroup & { readonly columns: ColumnInfo[]; readonly indexes: number[] };

/** Rows by the set of columns they give (not undefined), in order of first appearance. */
function groupByShape(table: TableInfo, rows: readonly Attributes[], options: InsertOptions): Group[] {
  const groups = new Map<string, Group>();
  let last: { group: Group; like: Attributes; size: number } | undefined;
  for (const [index, row] of rows.entries()) {
    // the common case without allocating: the same columns given as the previous row
    if (last && sameShape(row, last.like, last.size)) {
      last.group.indexes.push(index);
      continue;
    }
    const keys = Object.keys(row).filter((key) => row[key] !== undefined);
    const shape = keys.join('\u0000');
    let group = groups.get(shape);
    if (!group) {
      group = { columns: columnsOf(table, row, options.factory, options.seed), indexes: [] };
      groups.set(shape, group);
    }
    group.indexes.push(index);
    last = { group, like: row, size: keys.length };
  }
  return [...groups.values()];
}

/** Whether `row` gives exactly the `size` keys `like` gives (for...in allocates nothing). */
function sameShape(row: Attributes, like: Attributes, size: number): boolean {
  let count = 0;
  for (const key in row) {
    if (row[key] === undefined) continue;
    if (like[key] === undefined) return false;
    count++;
  }
  return count === size;
}

/**
 * Inserts rows (camelCase keys; `undefined` means "let the database default it"). Rows with the
 * same set of given columns share statements; the result keeps the input order. A group of at
 * least `copyThreshold` rows goes through COPY (in a transaction, with the rest) when the table
 * and the connection allow it and, when rows are returned, every value can be echoed (see
 * copy.ts); the others through `INSERT ... unnest` batches.
 */
export async function insertRows(
  executor: Executor,
  table: TableInfo,
  rows: readonly Attributes[],
  options: InsertOptions & { returning: true },
): Promise<Record<string, unknown>[]>;
export async function insertRows(
  executor: Executor,
  table: TableInfo,
  rows: readonly Attributes[],
  options: InsertOptions & { returning: false },
): Promise<number>;
export async function insertRows(
  executor: Executor,
  table: TableInfo,
  rows: readonly Attributes[],
  options: InsertOptions & { returning: boolean },
): Promise<Record<string, unknown>[] | number> {
  const groups = groupByShape(table, rows, options);
  const threshold = options.copyThreshold ?? DEFAULT_COPY_THRESHOLD;
  const copying = (group: Group) => group.indexes.length >= threshold && group.columns.length > 0;
  const stored = new Array<Record<string, unknown>>(rows.length);
  if (!(table.copyable && executor.copies && groups.some(copying))) {
    await unnestGroups(executor, table, rows, groups, options, stored);
  } else {
    await executor.transaction(async (inner) => {
      const rest: Group[] = [];
      for (const group of groups) {
        const echo = options.returning && copying(group) && inner.copy ? echoRows(table, rows, group) : undefined;
        if (!copying(group) || !inner.copy || (options.returning && !echo)) {
          rest.push(group);
          continue;
        }
        const outcome = await copyGroup(inner, table, rows, group, echo);
        if ('failed' in outcome) throw insertError(options.factory, table, rows, outcome.failed, options);
        if (echo) for (const [offset, index] of group.indexes.entries()) stored[index] = echo[offset] as Row;
      }
      await unnestGroups(inner, table, rows, rest, options, stored);
    });
  }
  return options.returning ? stored : rows.length;
}

type Row = Record<string, unknown>;

/** `INSERT ... unnest` batches, two in flight; returned rows go into `stored` at their index. */
async function unnestGroups(
  executor: Executor,
  table: TableInfo,
  rows: readonly Attributes[],
  groups: readonly Group[],
  options: InsertOptions & { returning: boolean },
  stored: Row[],
): Promise<void> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  // Two statements in flight: the next batch's parameters are built while the server inserts
  // the previous one (and a pool may run both at once). Never more, so a single pinned
  // connection never waits long for its turn.
  const inflight: Promise<void>[] = [];
  let failure: FailedBatch | undefined;
  for (const { columns, indexes } of groups) {
    const text = statement(table, columns, options.returning);
    for (let start = 0; start < indexes.length && failure === undefined; start += batchSize) {
      const slice = indexes.slice(start, start + batchSize);
      let parameters: unknown[];
      try {
        parameters = parametersFor(
          columns,
          slice.map((index) => rows[index] as Attributes),
        );
      } catch (error) {
        // a value that cannot be encoded (rows not checked beforehand): named once nothing is in flight
        failure ??= { error, columns, indexes: slice };
        break;
      }
      const sent = executor.query(text, parameters).then(
        (raw) => {
          if (!options.returning) return;
          for (const [offset, row] of raw.entries()) stored[slice[offset] as number] = decodeRow(table, row);
        },
        (error: unknown) => {
          failure ??= { error, columns, indexes: slice };
        },
      );
      inflight.push(sent);
      if (inflight.length >= 2) await inflight.shift();
    }
  }
  await Promise.all(inflight);
  if (failure !== undefined) throw insertError(options.factory, table, rows, failure, options);
}
