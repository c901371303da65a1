import { FactoryInsertError, FactoryValidationError } from '../factories/index.js';

/**
 * Inserts batches with at most two in flight: the next batch is generated (and its parameters
 * built) while the database inserts the previous one. Results keep the batches' order; the
 * first failure is rethrown once nothing is left running, naming its row's place in the whole
 * series (batches of `size` rows).
 */
export async function pipelined<Row, Result>(
  batches: Iterable<Row[]>,
  size: number,
  insert: (rows: Row[]) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  const inflight: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  let index = 0;
  for (const batch of batches) {
    const slot = index++;
    inflight.push(
      insert(batch).then(
        (result) => {
          results[slot] = result;
        },
        (error: unknown) => {
          failure ??= { error: inSeries(error, slot * size) };
        },
      ),
    );
    if (inflight.length >= 2) await inflight.shift();
    if (failure) break;
  }
  await Promise.all(inflight);
  if (failure) throw failure.error;
  return results;
}

/** A refusal of row n of a batch, about row offset + n of the series (the rows are checked by construction). */
function inSeries(error: unknown, offset: number): unknown {
  return offset > 0 && error instanceof FactoryInsertError && error.row !== undefined ? error.shifted(offset) : error;
}

/** The options every series shares, checked before anything is generated or written. */
export interface SeriesOptions {
  count: number;
  from?: Date;
  volatility?: number;
}

export function checkSeries(factory: string, options: SeriesOptions, numbers: Record<string, unknown> = {}): void {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new FactoryValidationError(factory, field, value, rule);
  };
  if (!Number.isSafeInteger(options.count) || options.count < 0) {
    fail('count', options.count, 'must be a whole number >= 0');
  }
  const { from } = options;
  if (from !== undefined && !(from instanceof Date && !Number.isNaN(from.getTime()))) {
    fail('from', from, 'must be a valid Date');
  }
  const { volatility } = options;
  if (volatility !== undefined && !(Number.isFinite(volatility) && volatility >= 0)) {
    fail('volatility', volatility, 'must be a finite number >= 0');
  }
  for (const [field, value] of Object.entries(numbers)) {
    if (value !== undefined && !Number.isFinite(value)) fail(field, value, 'must be a finite number');
  }
}
