// Waiting for the run's shared clone pool between two claims, so that no measurement overlaps
// the background work of the previous one (the drop of the claimed clone, the pool's refill).
import { waitUntil } from './measure.mjs';

/** How long the pool stays full before the next claim: the time the previous test file ran. */
export const FILE_RUNS_MS = 100;

/**
 * Resolves once the clone `dropped` is gone and the shared pool of run `runId` holds `size`
 * clones again, plus {@link FILE_RUNS_MS}. `admin` is a pg pool on the server.
 */
export async function settle(admin, { runId, size, dropped }) {
  const prefix = `tk_${runId}_shared_`.toLowerCase();
  const count = async (sql, values) => (await admin.query(sql, values)).rows[0].n;
  const gone = async () =>
    (await count('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [dropped])) === 0;
  const full = async () =>
    (await count('SELECT count(*)::int AS n FROM pg_database WHERE starts_with(datname, $1)', [prefix])) === size;
  if (dropped) await waitUntil(gone, { what: `drop of ${dropped}` });
  await waitUntil(full, { what: 'the shared clone pool to refill' });
  await new Promise((resolve) => setTimeout(resolve, FILE_RUNS_MS));
}
