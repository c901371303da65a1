import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CopyStreamQuery } from 'pg-copy-streams';

/** A client COPY can stream through: pg's own connection underneath (see {@link canCopy}). */
export interface CopyTarget {
  query(stream: CopyStreamQuery): unknown;
}

/**
 * Whether `target` can stream `COPY ... FROM STDIN`: a pg `Client` or `PoolClient` (or a lease
 * of the kit's per-test connection, which is one) has the protocol connection pg-copy-streams
 * writes to. A bare `{ query }` object, or a client of another driver, has not.
 */
export function canCopy(target: unknown): target is CopyTarget {
  if (typeof target !== 'object' || target === null) return false;
  const { connection, query } = target as { connection?: { sendCopyFail?: unknown }; query?: unknown };
  return typeof query === 'function' && typeof connection?.sendCopyFail === 'function';
}

/**
 * Runs `sql` (a `COPY ... FROM STDIN`) on `target`, streaming `chunks` with backpressure, and
 * resolves to the number of rows copied. When the server refuses a row, the stream stops and
 * the promise rejects with PostgreSQL's error (its `where` names the line); when a chunk cannot
 * be made, the COPY is aborted (CopyFail) and the promise rejects with that error. Either way the
 * COPY wrote nothing; a transaction around it is left for the caller to roll back.
 */
export async function copyIn(target: CopyTarget, sql: string, chunks: Iterable<Buffer>): Promise<number> {
  // loaded on the first COPY: a process whose lists stay small never loads it
  const { from: copyFrom } = await import('pg-copy-streams');
  const stream = copyFrom(sql);
  // a pg client returns the stream; a wrapper (the per-test connection's lease) a promise of it
  const submitted = target.query(stream);
  const copied = pipeline(Readable.from(chunks, { objectMode: false }), stream);
  if (isThenable(submitted)) await Promise.all([copied, submitted]);
  else await copied;
  return stream.rowCount;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
