import { TimescaleTestkitError } from '../errors/index.js';

/** Anything a factory refuses or the database rejects; the message names the seed to replay. */
export class FactoryError extends TimescaleTestkitError {
  readonly factory: string;
  readonly seed: number | undefined;

  constructor(code: string, factory: string, message: string, options?: { cause?: unknown; seed?: number }) {
    const seed = options?.seed;
    const replay = seed === undefined ? '' : ` [seed ${seed}; replay with TIMESCALE_TESTKIT_SEED=${seed}]`;
    super(code, `${factory}: ${message}${replay}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.factory = factory;
    this.seed = seed;
  }
}

/** A value cannot be stored or breaks a domain rule; thrown before any SQL runs. */
export class FactoryValidationError extends FactoryError {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** Index of the row in the list given (createList, buildList, insertMany, a series); unset for one row. */
  readonly row: number | undefined;

  constructor(factory: string, field: string, value: unknown, rule: string, seed?: number, options?: { row?: number }) {
    const row = options?.row;
    super(
      'FACTORY_VALIDATION',
      factory,
      `${row === undefined ? '' : `row ${row}: `}${field} ${rule} (got ${describe(value)})`,
      seed === undefined ? {} : { seed },
    );
    this.field = field;
    this.value = value;
    this.rule = rule;
    this.row = row;
  }

  /** The same error, about row `row` of a list. */
  forRow(row: number): FactoryValidationError {
    return new FactoryValidationError(this.factory, this.field, this.value, this.rule, this.seed, { row });
  }
}

const DESCRIBED = 120;

/** A short, never-throwing description of a value for messages. */
function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'object' && value !== null) {
    try {
      text = JSON.stringify(value);
    } catch {
      return 'an object JSON cannot represent';
    }
  } else text = String(value);
  return text.length > DESCRIBED ? `${text.slice(0, DESCRIBED)}...` : text;
}

/** Where in the rows an insert failed, when PostgreSQL's error (or the value it quotes) tells. */
export interface InsertFailureLocation {
  /** The column, as named in the database. */
  column?: string;
  /** The column's key in rows (camelCase). */
  field?: string;
  /** Indexes of the rows of the list that hold the refused value (the first is `row`). */
  rows?: readonly number[];
  /** The statement that was refused: `INSERT` (the default) or `COPY` (a bulk write). */
  statement?: 'INSERT' | 'COPY';
}

/**
 * The database refused an insert; `sqlState` and `constraint` come from PostgreSQL; `column`,
 * `field` and `row` say where, when PostgreSQL names the column or quotes the value.
 */
export class FactoryInsertError extends FactoryError {
  readonly sqlState: string | undefined;
  readonly constraint: string | undefined;
  readonly table: string;
  readonly column: string | undefined;
  readonly field: string | undefined;
  /** Index of the refused row in the list given (createList, insertMany, a series); unset for one row. */
  readonly row: number | undefined;
  /** `COPY` for a bulk write (see `copyThreshold`), else `INSERT`. */
  readonly statement: 'INSERT' | 'COPY';
  readonly location: InsertFailureLocation;

  constructor(factory: string, table: string, cause: unknown, seed?: number, location: InsertFailureLocation = {}) {
    const details = (cause ?? {}) as { message?: string; code?: string; constraint?: string; detail?: string };
    const { column, field, rows = [], statement = 'INSERT' } = location;
    const where = column === undefined ? '' : ` at ${table}.${column}${field && field !== column ? ` (${field})` : ''}`;
    const which =
      rows.length === 0 ? '' : `${where ? ',' : ''} ${rows.length === 1 ? 'row' : 'rows'} ${rows.join(', ')}`;
    const verb = statement === 'COPY' ? `COPY ${table} FROM STDIN` : `INSERT INTO ${table}`;
    const message = `${verb} failed${where}${which}: ${details.message ?? String(cause)}${details.detail ? ` (${details.detail})` : ''}`;
    super('FACTORY_INSERT', factory, message, seed === undefined ? { cause } : { cause, seed });
    this.sqlState = details.code;
    this.constraint = details.constraint;
    this.table = table;
    this.column = column;
    this.field = field;
    this.row = rows[0];
    this.statement = statement;
    this.location = location;
  }

  /** The same error with its rows moved by `offset` (a batch's place in a longer list). */
  shifted(offset: number): FactoryInsertError {
    const rows = this.location.rows?.map((row) => row + offset);
    return new FactoryInsertError(this.factory, this.table, this.cause, this.seed, {
      ...this.location,
      rows: rows ?? [],
    });
  }
}
