/**
 * Inserts batches with at most two in flight: the next batch is generated (and its parameters
 * built) while the database inserts the previous one. Results keep the batches' order; the
 * first failure is rethrown once nothing is left running.
 */
export async function pipelined<Row, Result>(
  batches: Iterable<Row[]>,
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
          failure ??= { error };
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
