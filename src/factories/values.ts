import type { ColumnInfo, TableInfo } from './columns.js';
import { fitsNumeric, isDecimal } from './decimal.js';
import { FactoryValidationError } from './errors.js';

/**
 * Checks that every value of a row can be stored, before any SQL: no Invalid Date, no NaN or
 * Infinity, no function or symbol, JSON that JSON can represent; and, when the table's catalog
 * is known, what the column's type demands (integer ranges, numeric precision, varchar length).
 * Only what PostgreSQL would certainly refuse, or what would be stored wrong, is refused here:
 * text PostgreSQL parses itself (dates, uuids, enums) goes to the server, whose errors name the
 * column.
 */
export function checkValues(
  factory: string,
  attrs: Readonly<Record<string, unknown>>,
  table: TableInfo | undefined,
  seed: number | undefined,
  row?: number,
): void {
  const checks = table ? checksOf(table) : undefined;
  // for...in: no array per row on the bulk path (rows are plain objects)
  for (const key in attrs) {
    const value = attrs[key];
    if (value === null || value === undefined) continue;
    const check = checks?.get(key);
    let problem = check ? check(value) : anyProblem(key, value);
    if (problem === undefined) continue;
    const column = table?.byKey.get(key);
    if (column && table) problem = `${problem} (${table.table}.${column.name} is ${column.declared})`;
    throw new FactoryValidationError(factory, key, value, problem, seed, row === undefined ? undefined : { row });
  }
}

/** What a column refuses of a (non-null) value; `undefined` when it fits. Allocates nothing unless it refuses. */
type Check = (value: unknown) => string | undefined;

const compiled = new WeakMap<TableInfo, ReadonlyMap<string, Check>>();

function checksOf(table: TableInfo): ReadonlyMap<string, Check> {
  let checks = compiled.get(table);
  if (!checks) {
    checks = new Map(table.columns.map((column) => [column.key, checkFor(column)]));
    compiled.set(table, checks);
  }
  return checks;
}

const NOT_FINITE = "must be a finite number (pass the string 'NaN' or 'Infinity' to store one)";
const INVALID_DATE = 'must be a valid Date';

/** What no column of any type could store. */
function anyProblem(key: string, value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? undefined : NOT_FINITE;
    case 'function':
      return 'must be a value, not a function';
    case 'symbol':
      return 'must be a value, not a symbol';
    case 'object':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? INVALID_DATE : undefined;
      if (value instanceof Uint8Array) return undefined;
      // arrays may be vectors or SQL arrays (of bigints too); plain objects always travel as JSON
      return nestedProblem(key, value, !Array.isArray(value));
    default:
      return undefined;
  }
}

/** The first thing inside `value` that cannot be stored, as "what at where". */
function nestedProblem(key: string, value: unknown, json: boolean): string | undefined {
  const found = walk(value, json, []);
  if (!found) return undefined;
  const hint = found.hint ? ` (${found.hint})` : '';
  return `cannot be stored${json ? ' as JSON' : ''}: ${found.what} at ${key}${found.path}${hint}`;
}

interface Found {
  what: string;
  path: string;
  hint?: string;
}

/** Depth-first, as JSON.stringify goes; the path is built only for the value found. */
function walk(value: unknown, json: boolean, ancestors: object[]): Found | undefined {
  switch (typeof value) {
    case 'number':
      if (Number.isFinite(value)) return undefined;
      return json
        ? { what: String(value), path: '', hint: 'JSON has no NaN or Infinity' }
        : { what: String(value), path: '' };
    case 'bigint':
      return json ? { what: 'a BigInt', path: '', hint: 'JSON has none: pass a number or a string' } : undefined;
    case 'function':
      return { what: 'a function', path: '' };
    case 'symbol':
      return { what: 'a symbol', path: '' };
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { what: 'an Invalid Date', path: '' } : undefined;
  if (ancestors.includes(value)) return { what: 'a circular reference', path: '' };
  ancestors.push(value);
  try {
    return Array.isArray(value) ? walkArray(value, json, ancestors) : walkObject(value, ancestors);
  } finally {
    ancestors.pop();
  }
}

function walkArray(value: readonly unknown[], json: boolean, ancestors: object[]): Found | undefined {
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    // the common case first: numbers and strings of vectors and arrays
    if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) continue;
    const found = walk(item, json, ancestors);
    if (found) return { ...found, path: `[${index}]${found.path}` };
  }
  return undefined;
}

function walkObject(value: object, ancestors: object[]): Found | undefined {
  if (value instanceof Uint8Array) return undefined;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let replaced: unknown;
    try {
      replaced = toJSON.call(value);
    } catch (error) {
      return { what: `a toJSON() that throws (${error instanceof Error ? error.message : String(error)})`, path: '' };
    }
    return replaced === value ? undefined : walk(replaced, true, ancestors);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const found = walk(record[key], true, ancestors);
    if (found) return { ...found, path: `.${key}${found.path}` };
  }
  return undefined;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
  oid: [0n, 2n ** 32n - 1n],
};

interface IntegerRange {
  readonly min: bigint;
  readonly max: bigint;
  /** The same bounds as numbers when they are exact (not for int8): number comparisons are the fast path. */
  readonly exact: readonly [number, number] | undefined;
}

function rangeOf(base: string): IntegerRange | undefined {
  const bounds = INTEGER_RANGES[base];
  if (!bounds) return undefined;
  const [min, max] = bounds;
  const exact = base === 'int8' ? undefined : ([Number(min), Number(max)] as const);
  return { min, max, exact };
}

function checkFor(column: ColumnInfo): Check {
  const { key, maxLength, precision, scale } = column;
  const other = (value: unknown) => anyProblem(key, value);
  switch (column.kind) {
    case 'text':
      if (maxLength === undefined) return (value) => (typeof value === 'string' ? undefined : other(value));
      return (value) => (typeof value === 'string' ? lengthProblem(maxLength, value) : other(value));
    case 'numeric':
      return (value) =>
        typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
          ? numericProblem(value, precision, scale)
          : other(value);
    case 'timestamp':
    case 'date':
      return timeProblem;
    case 'int':
    case 'bigint': {
      const range = rangeOf(column.base);
      return (value) =>
        typeof value === 'number' || typeof value === 'bigint' ? integerProblem(value, range) : other(value);
    }
    case 'json':
      return (value) => nestedProblem(key, value, true);
    case 'vector':
      return (value) => (Array.isArray(value) ? vectorProblem(key, value) : other(value));
    default:
      return other;
  }
}

const DATE_LIMIT = 8.64e15;

function timeProblem(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? INVALID_DATE : undefined;
  if (typeof value === 'string') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= DATE_LIMIT
      ? undefined
      : 'must be epoch milliseconds within the range of a Date';
  }
  return 'must be a Date, a date/time string or epoch milliseconds';
}

function integerProblem(value: number | bigint, range: IntegerRange | undefined): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NOT_FINITE;
    if (!Number.isInteger(value)) return 'must be an integer';
    if (!range) return undefined;
    const { exact } = range;
    if (exact) return value < exact[0] || value > exact[1] ? `must be within [${range.min}, ${range.max}]` : undefined;
    // every safe integer fits int8
    if (Number.isSafeInteger(value)) return undefined;
  }
  if (!range) return undefined;
  const integer = BigInt(value);
  return integer < range.min || integer > range.max ? `must be within [${range.min}, ${range.max}]` : undefined;
}

const NAN = /^\s*nan\s*$/i;
const INFINITE = /^\s*[+-]?inf(inity)?\s*$/i;

/** Numbers, bigints and decimal strings against numeric(precision, scale). */
function numericProblem(
  value: string | number | bigint,
  precision: number | undefined,
  scale: number | undefined,
): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NOT_FINITE;
  } else if (typeof value === 'string') {
    if (precision === undefined || scale === undefined) return undefined;
    const whole = integerDigits(value);
    // fewer integer digits than the column has room for: fits, whatever the rounding
    if (whole >= 0 && whole < precision - scale) return undefined;
    if (whole < 0) {
      if (INFINITE.test(value)) return 'cannot be infinite';
      // other spellings PostgreSQL reads (1_000, 0x1F, NaN) are left to it
      if (NAN.test(value) || !isDecimal(value)) return undefined;
    }
  }
  if (precision === undefined || scale === undefined) return undefined;
  return fitsNumeric(value, precision, scale)
    ? undefined
    : `must round to an absolute value below 10^${precision - scale}`;
}

/** Integer digits of a plain decimal (`-12.50`: 2), or -1 when the text is spelled any other way. */
function integerDigits(text: string): number {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  let dot = -1;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) continue;
    if (code !== 46 || dot !== -1 || index === start || index === text.length - 1) return -1;
    dot = index;
  }
  if (text.length === start) return -1;
  return (dot === -1 ? text.length : dot) - start;
}

function vectorProblem(key: string, value: readonly unknown[]): string | undefined {
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    if (typeof item === 'number' ? Number.isFinite(item) : typeof item === 'string') continue;
    return `must hold finite numbers only (${String(item)} at ${key}[${index}])`;
  }
  return undefined;
}

function lengthProblem(max: number, value: string): string | undefined {
  if (value.length <= max) return undefined;
  // PostgreSQL counts characters, and drops excess trailing spaces instead of refusing them
  return [...value.replace(/ +$/, '')].length > max ? `must be at most ${max} characters` : undefined;
}
