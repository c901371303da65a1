// The factories scenarios' floor: one COPY statement streaming rows encoded before the clock
// starts (the server's work and the transfer, nothing of the client's making of the rows).
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';

/** A value in COPY's text format (the bench's rows hold no tab, newline or backslash). */
const copyText = (value) =>
  value === null
    ? '\\N'
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

/** Rows (arrays of values) as one COPY text buffer. */
export const encodedRows = (rows) => Buffer.from(`${rows.map((row) => row.map(copyText).join('\t')).join('\n')}\n`);

/** Runs `sql` (a COPY … FROM STDIN) on a connection of `pool`, streaming `encoded` in one chunk. */
export async function copyEncoded(pool, sql, encoded) {
  const client = await pool.connect();
  try {
    await pipeline(
      async function* () {
        yield encoded;
      },
      client.query(copyFrom(sql)),
    );
  } finally {
    client.release();
  }
}
