// The sweep that removes whatever containers a run started. Ryuk is
// disabled on CI, so nothing else would: every start is paired with a stop in a finally, and
// the sweep at the end catches what a crash left behind.
import { getContainerRuntimeClient } from 'testcontainers';
import { listContainers, pruneContainers } from '../../dist/index.js';
import { BENCH_LABEL } from './snapshot-container.mjs';

/**
 * The server setting that makes a reused kit container this run's own: the kit's configuration
 * hash covers server settings, so no other run finds it, and the sweep knows it by its command.
 */
export function benchClusterName(runId) {
  return `timescale_testkit_bench_${runId}`;
}

/**
 * Removes what the run `runId` left: baseline containers (label {@link BENCH_LABEL}), the kit's
 * containers of the run, the reused container of `reusedConfigHash`, and reused kit containers
 * whose command names the run ({@link benchClusterName}: those of child processes). Returns the count.
 */
export async function sweepContainers({ runId, reusedConfigHash }) {
  let removed = (await pruneContainers({ runId }).catch(() => [])).length;
  const client = await getContainerRuntimeClient();
  const reused = reusedConfigHash
    ? (await listContainers().catch(() => [])).filter((c) => c.reuse && c.configHash === reusedConfigHash)
    : [];
  const named = `cluster_name=${benchClusterName(runId)}`;
  const ours = (await client.container.list())
    .filter((info) => info.Labels?.[BENCH_LABEL] === runId || info.Command?.includes(named))
    .map((info) => info.Id)
    .concat(reused.map((c) => c.id));
  for (const id of ours) {
    const container = client.container.getById(id);
    await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
    await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}
