import { type ColumnInfo, encodeValue, type TableInfo } from './columns.js';
import { FactoryInsertError, FactoryValidationError, type InsertFailureLocation } from './errors.js';
import { checkValues } from './values.js';

type Attributes = Readonly<Record<string, unknown>>;

/** A statement the database refused: its error, its columns (in parameter order) and its rows. */
export interface FailedBatch {
  readonly error: unknown;
  readonly columns: readonly ColumnInfo[];
  /** Indexes (in the rows given to the insert) of the statement's rows, in order. */
  readonly indexes: readonly number[];
  /** The refused statement (default INSERT). */
  readonly statement?: 'INSERT' | 'COPY';
}

interface PgFields {
  code?: string;
  column?: string;
  where?: string;
  detail?: string;
  message?: string;
}

/** The context PostgreSQL adds when a bound parameter does not parse: `unnamed portal parameter $3`. */
const PARAMETER = /\bparameter \$(\d+)\b/;
/** Unique and foreign key violations: `Key (a, b)=(1, x) already exists.` */
const KEY = /^Key \((.+?)\)=\((.*)\) (?:already exists|is not present in table)/s;
/** COPY's context: `COPY orders, line 3, column price: "abc"` or `COPY orders, line 3: "..."` (1-based lines). */
const COPY_LINE = /^COPY .*?, line (\d+)(?:, column (.+?))?(?:: "|$)/m;
/** The value most input functions quote at the end of their message: `... for type uuid: "xyz"`. */
const QUOTED = /: "(.*)"$/s;

/**
 * The error for a statement that failed. A value that could not even be encoded is a
 * FactoryValidationError. A refusal names the column (and, for a list, the rows) when
 * PostgreSQL names it, when the failing parameter gives it away, when the value it quotes is
 * found in exactly one column of the statement, or else when the kit's own checks find the
 * value (rows inserted without them: `insertMany(rows, { validate: false })`).
 */
export function insertError(
  factory: string,
  table: TableInfo,
  rows: readonly Attributes[],
  failed: FailedBatch,
  options: { seed?: number | undefined; list?: boolean | undefined },
): FactoryInsertError | FactoryValidationError {
  const refused = checked(factory, table, rows, failed, options);
  const fields = (failed.error ?? {}) as PgFields;
  if (fields.code === undefined && refused) return refused;
  const found = locate(fields, table, rows, failed);
  if (!found.column && refused) {
    found.column = table.byKey.get(refused.field);
    found.rows = refused.row === undefined ? [] : [refused.row];
  }
  const location: InsertFailureLocation = failed.statement ? { statement: failed.statement } : {};
  if (found.column) {
    location.column = found.column.name;
    location.field = found.column.key;
  }
  if (options.list && found.rows.length > 0) location.rows = found.rows;
  return new FactoryInsertError(factory, table.table, failed.error, options.seed, location);
}

interface Found {
  column: ColumnInfo | undefined;
  rows: number[];
}

/** The first value of the batch the kit's checks refuse, if any (the error path only). */
function checked(
  factory: string,
  table: TableInfo,
  rows: readonly Attributes[],
  failed: FailedBatch,
  options: { seed?: number | undefined; list?: boolean | undefined },
): FactoryValidationError | undefined {
  try {
    for (const index of failed.indexes) {
      checkValues(factory, rows[index] ?? {}, table, options.seed, options.list ? index : undefined);
    }
  } catch (error) {
    if (error instanceof FactoryValidationError) return error;
    throw error;
  }
  return undefined;
}

function locate(error: PgFields, table: TableInfo, rows: readonly Attributes[], failed: FailedBatch): Found {
  const batch = failed.indexes.map((index) => ({ index, row: rows[index] ?? {} }));
  const holding = (column: ColumnInfo, matches: (value: unknown) => boolean) =>
    batch.filter(({ row }) => matches(row[column.key])).map(({ index }) => index);
  const copied = COPY_LINE.exec(error.where ?? '');
  if (copied) return copyLocation(error, table, failed, copied, holding);
  // PostgreSQL names the column itself (NOT NULL violations)
  const named = error.column === undefined ? undefined : table.columns.find((c) => c.name === error.column);
  if (named) return { column: named, rows: holding(named, (value) => value === null || value === undefined) };
  const quoted = QUOTED.exec(error.message ?? '')?.[1];
  // a parameter that did not parse: $n is the statement's n-th column
  const parameter = PARAMETER.exec(error.where ?? '')?.[1];
  const byParameter = parameter === undefined ? undefined : failed.columns[Number(parameter) - 1];
  if (byParameter) {
    return {
      column: byParameter,
      rows: quoted === undefined ? [] : holding(byParameter, (value) => textOf(byParameter, value) === quoted),
    };
  }
  const key = KEY.exec(error.detail ?? '');
  if (key) return keyed(table, key[1] ?? '', key[2] ?? '', holding);
  if (quoted === undefined) return { column: undefined, rows: [] };
  // no context (an array element cast as the statement runs): the column whose value (or one of
  // whose elements) PostgreSQL quotes, when exactly one holds it
  const holds = (column: ColumnInfo, value: unknown): boolean =>
    textOf(column, value) === quoted || (Array.isArray(value) && value.some((item) => String(item) === quoted));
  const candidates = failed.columns
    .map((column) => ({ column, rows: holding(column, (value) => holds(column, value)) }))
    .filter((candidate) => candidate.rows.length > 0);
  return candidates.length === 1 ? (candidates[0] as Found) : { column: undefined, rows: [] };
}

/** A COPY names the line (the row) it refused, and the column when a value did not parse. */
function copyLocation(
  error: PgFields,
  table: TableInfo,
  failed: FailedBatch,
  [, line, name]: RegExpExecArray,
  holding: (column: ColumnInfo, matches: (value: unknown) => boolean) => number[],
): Found {
  const index = failed.indexes[Number(line) - 1];
  const rows = index === undefined ? [] : [index];
  const column = table.columns.find((c) => c.name === (error.column ?? name));
  if (column) return { column, rows };
  const key = KEY.exec(error.detail ?? '');
  const found = key ? keyed(table, key[1] ?? '', key[2] ?? '', holding) : undefined;
  return { column: found?.column, rows };
}

/** A key violation: the column when the key has one, the rows whose key values are the ones quoted. */
function keyed(
  table: TableInfo,
  names: string,
  values: string,
  holding: (column: ColumnInfo, matches: (value: unknown) => boolean) => number[],
): Found {
  const columns = names.split(', ').map((name) => table.columns.find((c) => c.name === name.replace(/^"|"$/g, '')));
  const parts = columns.length === 1 ? [values] : values.split(', ');
  if (parts.length !== columns.length || columns.some((column) => column === undefined)) {
    return { column: undefined, rows: [] };
  }
  let rows: number[] | undefined;
  columns.forEach((column, position) => {
    if (!column) return;
    const text = parts[position] ?? '';
    const matching = new Set(holding(column, (value) => sameKey(column, value, text)));
    rows = rows === undefined ? [...matching] : rows.filter((row) => matching.has(row));
  });
  return { column: columns.length === 1 ? columns[0] : undefined, rows: rows ?? [] };
}

/** PostgreSQL prints timestamps its own way (`2024-03-01 00:09:00+00`): compare those as instants. */
function sameKey(column: ColumnInfo, value: unknown, text: string): boolean {
  if (textOf(column, value) === text) return true;
  if (column.kind !== 'timestamp' || value === null || value === undefined) return false;
  const printed = Date.parse(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  const given = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return !Number.isNaN(printed) && printed === given;
}

function textOf(column: ColumnInfo, value: unknown): string | null {
  if (typeof value === 'string') return value;
  try {
    return encodeValue(column, value);
  } catch {
    return null;
  }
}
