// Waiting for the run's clone broker between two claims, so that no measurement overlaps the
// background work of the previous one (the drop of the claimed clone, the pool's refill).
import { waitUntil } from './measure.mjs';

/** How long the pool stays full before the next claim: the time the previous test file ran. */
export const FILE_RUNS_MS = 100;

/**
 * Resolves once the clone `dropped` is gone and `broker` (the run's CloneBroker) has its pool
 * full and nothing under way, plus {@link FILE_RUNS_MS}. `admin` is a pg pool on the server.
 */
export async function settle(admin, { broker, dropped }) {
  if (dropped) {
    const gone = async () =>
      (await admin.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [dropped])).rows[0].n === 0;
    await waitUntil(gone, { what: `drop of ${dropped}` });
  }
  await broker.whenIdle();
  await new Promise((resolve) => setTimeout(resolve, FILE_RUNS_MS));
}
