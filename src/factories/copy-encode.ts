import { type ColumnInfo, encodeValue } from './columns.js';

/** COPY's text format: `\N` is NULL (an empty field is the empty string). */
export const COPY_NULL = '\\N';

const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text as one field of COPY's text format: backslash, newline, carriage return and tab are
 * escaped (so `\N` given as text stays the two characters, and `\.` never ends the data).
 */
export function copyEscape(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (special) => ESCAPES[special] ?? special) : text;
}

/** A row's value (never undefined) as one field of a COPY text line. */
export type FieldEncoder = (value: unknown) => string;

/** What encodeValue gives, required to be text: a value it cannot write is an encoding failure. */
function encoded(column: ColumnInfo, value: unknown): string {
  const text = encodeValue(column, value);
  if (typeof text !== 'string') {
    throw new TypeError(`${column.name}: ${typeof value} cannot be written as ${column.declared}`);
  }
  return copyEscape(text);
}

/**
 * The encoder of a column's values: the same text the INSERT path sends (strings as they are,
 * except into json columns where a string is a JSON string; Date as ISO-8601; objects as JSON;
 * arrays as array literals; `number[]` as a vector), escaped for COPY.
 */
export function fieldEncoder(column: ColumnInfo): FieldEncoder {
  switch (column.kind) {
    case 'json':
      return (value) => (value === null ? COPY_NULL : encoded(column, value));
    case 'int':
    case 'bigint':
    case 'float':
    case 'numeric':
      return (value) =>
        value === null
          ? COPY_NULL
          : typeof value === 'number' || typeof value === 'bigint'
            ? String(value)
            : typeof value === 'string'
              ? copyEscape(value)
              : encoded(column, value);
    case 'timestamp':
      return (value) =>
        value === null
          ? COPY_NULL
          : value instanceof Date
            ? value.toISOString()
            : typeof value === 'string'
              ? copyEscape(value)
              : encoded(column, value);
    default:
      return (value) =>
        value === null ? COPY_NULL : typeof value === 'string' ? copyEscape(value) : encoded(column, value);
  }
}

/** Bytes per chunk written to the connection. */
const CHUNK_CHARS = 1 << 16;

/**
 * The COPY text lines of `count` rows as chunks of about 64 kB, built lazily (a chunk is
 * encoded while the server parses the previous one). `line(i)` gives row i's line, `\n` included.
 */
export function* copyChunks(count: number, line: (index: number) => string): Generator<Buffer> {
  let text = '';
  for (let index = 0; index < count; index++) {
    text += line(index);
    if (text.length >= CHUNK_CHARS) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text.length > 0) yield Buffer.from(text, 'utf8');
}
