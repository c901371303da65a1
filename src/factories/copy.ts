import pg from 'pg';
import { type ColumnInfo, decodeValue, selectExpression, type TableInfo } from './columns.js';
import { COPY_NULL, copyChunks, copyEscape, fieldEncoder } from './copy-encode.js';
import type { FailedBatch } from './diagnose.js';
import { echoesOf, NO_ECHO } from './echo.js';
import type { Executor } from './queryable.js';

type Attributes = Readonly<Record<string, unknown>>;

/**
 * Rows written with `COPY ... FROM STDIN` from then on: below it, `INSERT ... SELECT FROM
 * unnest(...)` (one round trip instead of the two or three a COPY takes in its transaction).
 * Measured with the reference schema: COPY is ahead from a few hundred rows on.
 */
export const DEFAULT_COPY_THRESHOLD = 500;

/** A group of rows with the same columns given. */
export interface CopyGroup {
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly number[];
}

/** The outcome of a COPY: the rows (as stored) or their count, or the statement that failed. */
export type CopyOutcome =
  | { readonly rows: Record<string, unknown>[] | undefined; readonly count: number }
  | { readonly failed: FailedBatch };

/**
 * The rows as they will be stored, from what is written: undefined as soon as one value cannot
 * be echoed (see echo.ts), so the caller reads them back instead. Every column of the table is
 * there, in the table's order; those not given are null until {@link copyGroup} fills the
 * defaults it draws.
 */
export function echoRows(
  table: TableInfo,
  rows: readonly Attributes[],
  group: CopyGroup,
): Record<string, unknown>[] | undefined {
  if (!table.echoes) return undefined;
  const echoes = echoesOf(table);
  const given = new Set(group.columns);
  const keys = table.columns.map((column) => column.key);
  const echoers = table.columns.map((column) => (given.has(column) ? echoes.get(column.key) : undefined));
  const out = new Array<Record<string, unknown>>(group.indexes.length);
  for (let offset = 0; offset < group.indexes.length; offset++) {
    const source = rows[group.indexes[offset] as number] as Attributes;
    const row: Record<string, unknown> = {};
    for (let column = 0; column < keys.length; column++) {
      const key = keys[column] as string;
      const echo = echoers[column];
      if (!echo) {
        row[key] = null;
        continue;
      }
      const value = source[key];
      const echoed = value === null ? null : echo(value);
      if (echoed === NO_ECHO) return undefined;
      row[key] = echoed;
    }
    out[offset] = row;
  }
  return out;
}

/**
 * Draws the values the database would fill in for the columns left out (identities, defaults:
 * `nextval`, `gen_random_uuid()`, `now()` ...), one per row, in one round trip: the text COPY
 * writes back (exactly what was drawn) and the text decodeValue reads.
 */
async function drawDefaults(
  executor: Executor,
  columns: readonly ColumnInfo[],
  count: number,
): Promise<pg.QueryResultRow[]> {
  const drawn = columns.map((column, index) => `(${column.defaultSql})::${column.declared} AS d${index}`);
  const outputs = columns.map(
    (column, index) => `s.d${index}::text AS t${index}, ${selectExpression(column, `s.d${index}`)} AS c${index}`,
  );
  // OFFSET 0 keeps each default evaluated once per row, whatever reads it twice
  const sql = `SELECT ${outputs.join(', ')} FROM (SELECT ${drawn.join(', ')} FROM generate_series(1, $1::int) OFFSET 0) s`;
  return executor.query(sql, [count]);
}

/**
 * One COPY of a group of rows on an executor that can stream it (in the caller's transaction).
 * With `echo` (the group's rows as stored, columns given), the columns left out that have a
 * default are drawn first and written too, and every column of the table comes back: the rows
 * are returned without reading them back. Without it, the database fills the columns left out.
 */
export async function copyGroup(
  executor: Executor,
  table: TableInfo,
  rows: readonly Attributes[],
  group: CopyGroup,
  echo: Record<string, unknown>[] | undefined,
): Promise<CopyOutcome> {
  const copy = executor.copy;
  if (!copy) throw new TypeError('copyGroup needs an executor that can COPY');
  const given = new Set(group.columns);
  const left = echo ? table.columns.filter((column) => !given.has(column) && column.defaultSql !== undefined) : [];
  let drawn: pg.QueryResultRow[] = [];
  if (left.length > 0) {
    drawn = await drawDefaults(executor, left, group.indexes.length);
    for (const [offset, row] of (echo as Record<string, unknown>[]).entries()) {
      const values = drawn[offset] ?? {};
      left.forEach((column, index) => {
        row[column.key] = decodeValue(column, (values[`c${index}`] as string | null) ?? null);
      });
    }
  }
  const columns = [...group.columns, ...left];
  const encoders = group.columns.map(fieldEncoder);
  const keys = group.columns.map((column) => column.key);
  const line = (offset: number): string => {
    const source = rows[group.indexes[offset] as number] as Attributes;
    let text = '';
    for (let index = 0; index < keys.length; index++) {
      if (index > 0) text += '\t';
      text += (encoders[index] as (value: unknown) => string)(source[keys[index] as string]);
    }
    const values = drawn[offset];
    for (let index = 0; index < left.length; index++) {
      const value = values?.[`t${index}`] as string | null | undefined;
      if (keys.length > 0 || index > 0) text += '\t';
      text += value === null || value === undefined ? COPY_NULL : copyEscape(value);
    }
    return `${text}\n`;
  };
  const names = columns.map((column) => pg.escapeIdentifier(column.name)).join(', ');
  const sql = `COPY ${table.sql} (${names}) FROM STDIN`;
  try {
    const count = await copy(sql, copyChunks(group.indexes.length, line));
    return { rows: echo, count };
  } catch (error) {
    return { failed: { error, columns, indexes: group.indexes, statement: 'COPY' } };
  }
}
