import { type ColumnInfo, encodeValue, type TableInfo } from './columns.js';
import { toFixed } from './decimal.js';

/**
 * Rows returned without reading them back. A value written is echoed only when the value the
 * database stores, read back the kit's way (see decodeValue), is known on this side for sure:
 * a `Date` into timestamptz, a number into an integer or double column, a plain decimal into
 * numeric (padded or rounded to the column's scale), a string into text, varchar (within its
 * length), an enum or a uuid (lowercased), JSON (jsonb's key order), a vector (float4), a
 * text / integer / boolean array, bytes. Anything else (text PostgreSQL parses its own way:
 * dates in strings, intervals, inet, float4 ...) cannot be echoed, and the rows are read back.
 */
export const NO_ECHO: unique symbol = Symbol('no echo');

/** The value as stored and read back, from a non-null value written; {@link NO_ECHO} when unknown. */
export type Echo = (value: unknown) => unknown;

const echoes = new WeakMap<TableInfo, ReadonlyMap<string, Echo>>();

/** The echo of each column of a table, compiled once per table. */
export function echoesOf(table: TableInfo): ReadonlyMap<string, Echo> {
  let map = echoes.get(table);
  if (!map) {
    map = new Map(table.columns.map((column) => [column.key, echoFor(column)]));
    echoes.set(table, map);
  }
  return map;
}

const unknown: Echo = () => NO_ECHO;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MIN_DATE = Date.UTC(1, 0, 1);

export function echoFor(column: ColumnInfo): Echo {
  switch (column.kind) {
    case 'int':
      return (value) => (typeof value === 'number' && Number.isInteger(value) ? value : NO_ECHO);
    case 'bigint':
      return (value) =>
        typeof value === 'number' && Number.isSafeInteger(value)
          ? value
          : typeof value === 'bigint'
            ? Number.isSafeInteger(Number(value))
              ? Number(value)
              : value
            : NO_ECHO;
    case 'float':
      // float4 prints its shortest decimal, which is not the double given
      return column.base === 'float8' ? (value) => (typeof value === 'number' ? value : NO_ECHO) : unknown;
    case 'numeric':
      return numericEcho(column.scale);
    case 'bool':
      return (value) => (typeof value === 'boolean' ? value : NO_ECHO);
    case 'json':
      return column.base === 'jsonb' ? (value) => jsonEcho(value, true) : (value) => jsonEcho(value, false);
    case 'timestamp':
      return timeEcho;
    case 'date':
      return (value) => (typeof value === 'string' && DATE.test(value) ? value : NO_ECHO);
    case 'vector':
      return (value) =>
        Array.isArray(value) && value.every((item) => typeof item === 'number') ? value.map(Math.fround) : NO_ECHO;
    case 'array':
      return arrayEcho(column.base);
    case 'bytea':
      return (value) => (value instanceof Uint8Array ? Buffer.from(value) : NO_ECHO);
    default:
      return textEcho(column);
  }
}

function timeEcho(value: unknown): unknown {
  const time = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Number.NaN;
  // years 1 to 9999 print as ISO-8601 the way PostgreSQL reads them (a Date given is the one returned)
  if (!(time >= MIN_DATE && time <= MAX_DATE)) return NO_ECHO;
  return value instanceof Date ? value : new Date(time);
}

function textEcho(column: ColumnInfo): Echo {
  const { base, maxLength } = column;
  if (base === 'uuid')
    return (value) => (typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : NO_ECHO);
  // enums store the label given; text, varchar and citext the text given (a lone surrogate would not survive)
  if (column.category !== 'E' && base !== 'text' && base !== 'varchar' && base !== 'citext') return unknown;
  return (value) => {
    const text = typeof value === 'string' ? value : typeof value === 'object' ? NO_ECHO : encodeValue(column, value);
    if (typeof text !== 'string' || !wellFormed(text)) return NO_ECHO;
    return maxLength !== undefined && text.length > maxLength ? NO_ECHO : text;
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** No lone surrogate (UTF-8 cannot carry one: it would be stored as U+FFFD). */
function wellFormed(text: string): boolean {
  return !SURROGATE.test(text) || (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

const PLAIN = /^(-?)(\d+)(?:\.(\d*))?$/;

/** A plain decimal as numeric(p, scale) prints it (any scale given: as written, normalised). */
function numericEcho(scale: number | undefined): Echo {
  if (scale !== undefined && scale < 0) return unknown;
  // the common case at once: no sign, no leading zero, exactly `scale` decimals
  const canonical =
    scale === undefined ? undefined : new RegExp(`^(?:0|[1-9]\\d*)${scale > 0 ? `\\.\\d{${scale}}` : ''}$`);
  return (value) => {
    const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    if (text === undefined) return NO_ECHO;
    if (canonical?.test(text)) return text;
    const match = PLAIN.exec(text);
    if (!match) return NO_ECHO;
    const [, sign = '', whole = '', fraction = ''] = match;
    const digits = whole.replace(/^0+(?=\d)/, '');
    let printed: string;
    if (scale === undefined) printed = fraction === '' ? digits : `${digits}.${fraction}`;
    else if (fraction.length <= scale) printed = scale === 0 ? digits : `${digits}.${fraction.padEnd(scale, '0')}`;
    else return toFixed(text, scale);
    // numeric has no negative zero
    return sign === '-' && /[1-9]/.test(printed) ? `-${printed}` : printed;
  };
}

const ARRAY_ELEMENTS: Readonly<Record<string, (item: unknown) => boolean>> = {
  _text: (item) => typeof item === 'string' && wellFormed(item),
  _int2: (item) => typeof item === 'number' && Number.isInteger(item),
  _int4: (item) => typeof item === 'number' && Number.isInteger(item),
  _int8: (item) => typeof item === 'number' && Number.isSafeInteger(item),
  _bool: (item) => typeof item === 'boolean',
};

/** Arrays are read back through to_jsonb: text, integer and boolean elements come back as given. */
function arrayEcho(base: string): Echo {
  const element = ARRAY_ELEMENTS[base];
  if (!element) return unknown;
  const copy = (value: readonly unknown[]): unknown[] | typeof NO_ECHO => {
    const out: unknown[] = [];
    for (const item of value) {
      const echoed = Array.isArray(item) ? copy(item) : item === null || element(item) ? item : NO_ECHO;
      if (echoed === NO_ECHO) return NO_ECHO;
      out.push(echoed);
    }
    return out;
  };
  return (value) => (Array.isArray(value) ? copy(value) : NO_ECHO);
}

/** JSON as stored: what JSON.stringify writes, parsed; jsonb orders keys (shorter first, then bytewise). */
function jsonEcho(value: unknown, binary: boolean): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // circular, a bigint inside: the write path names the value
    return NO_ECHO;
  }
  if (typeof text !== 'string') return NO_ECHO;
  const parsed: unknown = JSON.parse(text);
  return binary ? jsonbOrder(parsed) : parsed;
}

function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 0) return record;
  keys.sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const ordered: Record<string, unknown> = {};
  for (const key of keys) ordered[key] = jsonbOrder(record[key]);
  return ordered;
}
