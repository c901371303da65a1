import pg from 'pg';
import { tableInfo } from './catalog.js';
import type { ColumnInfo, TableInfo } from './columns.js';
import type { FactoryContext } from './context.js';
import { fieldEncoder } from './copy-encode.js';
import type { Attrs, Definition } from './definition.js';
import { insertError } from './diagnose.js';
import { echoesOf, NO_ECHO } from './echo.js';
import { FactoryError } from './errors.js';

/** Text per chunk written to the connection. */
const CHUNK_CHARS = 1 << 16;

/** Batches COPY cannot serve here, none consumed: the caller inserts them its own way. */
export interface Unserved<Row> {
  readonly unserved: Iterable<readonly Row[]>;
}

function* chain<T>(first: T, rest: Iterator<T>): Generator<T> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/** A row of a generator the COPY could not take as it is, once streaming (see {@link copyBatches}). */
class NotStreamable extends Error {}

/**
 * Writes generated batches with one COPY, each row generated, encoded (and, with `returning`,
 * echoed) as the COPY streams: the server parses a chunk while the next one is made. For
 * generators whose rows are valid by construction (a series): every row gives the same columns
 * as the first, and when rows are returned, the table's every column, with values known on this
 * side (see echo.ts) as the first row's are. Resolves to the batches, none of them consumed, when
 * COPY cannot serve them here (the caller inserts them its own way). Runs in the caller's transaction: a refusal
 * is a FactoryInsertError naming the row, which leaves that transaction to be rolled back.
 */
export async function copyBatches<Row extends object>(
  definition: Definition,
  context: FactoryContext,
  batches: Iterable<readonly Row[]>,
  options: { returning: boolean },
): Promise<Row[] | number | Unserved<Row>> {
  const executor = context.executor(definition.name);
  const table = await tableInfo(executor, definition.table);
  const copy = executor.copy;
  if (!(copy && table.copyable && (!options.returning || table.echoes))) return { unserved: batches };
  const rows: Attrs[] = [];
  const stored: Attrs[] = [];
  const iterator = (batches as Iterable<readonly Attrs[]>)[Symbol.iterator]();
  const first = iterator.next();
  const head = first.done ? undefined : first.value[0];
  if (head === undefined) return options.returning ? [] : 0;
  const columns = table.columns.filter((column) => head[column.key] !== undefined);
  const echoes = columns.map((column) => echoesOf(table).get(column.key) as (value: unknown) => unknown);
  // what the first row shows decides: every column given, every value known (or only counted)
  const echoable = (column: ColumnInfo, index: number) =>
    head[column.key] === null || (echoes[index] as (value: unknown) => unknown)(head[column.key]) !== NO_ECHO;
  if (options.returning && !(columns.length === table.columns.length && columns.every(echoable))) {
    return { unserved: chain(first.value as readonly Row[], iterator as Iterator<readonly Row[]>) };
  }
  const encoders = columns.map(fieldEncoder);
  const line = (row: Attrs): string => {
    let text = '';
    const echoed: Attrs | undefined = options.returning ? {} : undefined;
    for (let index = 0; index < columns.length; index++) {
      const { key } = columns[index] as ColumnInfo;
      const value = row[key];
      if (value === undefined) throw new NotStreamable(key);
      if (index > 0) text += '\t';
      text += (encoders[index] as (value: unknown) => string)(value);
      if (echoed) {
        const echo = value === null ? null : (echoes[index] as (value: unknown) => unknown)(value);
        if (echo === NO_ECHO) throw new NotStreamable(key);
        echoed[key] = echo;
      }
    }
    if (echoed) stored.push(echoed);
    return `${text}\n`;
  };
  function* chunks(): Generator<Buffer> {
    let text = '';
    for (let batch = first; !batch.done; batch = iterator.next()) {
      for (const row of batch.value) {
        rows.push(row);
        text += line(row);
        if (text.length >= CHUNK_CHARS) {
          yield Buffer.from(text, 'utf8');
          text = '';
        }
      }
    }
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const names = columns.map((column) => pg.escapeIdentifier(column.name)).join(', ');
  try {
    await copy(`COPY ${table.sql} (${names}) FROM STDIN`, chunks());
  } catch (error) {
    if (error instanceof NotStreamable) throw notStreamable(definition, context, table, `"${error.message}" known`);
    const indexes = rows.map((_, index) => index);
    throw insertError(
      definition.name,
      table,
      rows,
      { error, columns, indexes, statement: 'COPY' },
      { seed: context.seed, list: true },
    );
  }
  return options.returning ? (stored as Row[]) : rows.length;
}

function notStreamable(definition: Definition, context: FactoryContext, table: TableInfo, what: string): FactoryError {
  return new FactoryError(
    'FACTORY_BUILD',
    definition.name,
    `a generated series into ${table.table} needs ${what} in every row to be written with COPY`,
    { seed: context.seed },
  );
}
