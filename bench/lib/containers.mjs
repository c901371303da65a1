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

/** Which approach a container of the run `runId` serves: 'baseline', 'kit' (a reused one of a child run), or undefined. */
function servedBy(info, runId) {
  if (info.Labels?.[BENCH_LABEL] === runId) return 'baseline';
  if (info.Command?.includes(`cluster_name=${benchClusterName(runId)}`)) return 'kit';
  return undefined;
}

const HEALTHY_WITHIN_MS = 15_000;

/**
 * Leaves running only the containers of the approach about to be measured (`approach`: 'kit',
 * 'baseline', 'none', or 'all' to unpause every one); the run's other reused containers are
 * paused (frozen, no CPU) until their own approach is measured. testcontainers' PostgreSqlContainer runs its health check (a
 * shell and pg_isready, through dockerd) every 250 ms for as long as it runs: left running, the
 * baseline's idle containers load the machine while the kit or vitest alone is measured. A
 * container unpaused here is waited for until its health check passes again.
 */
export async function focusContainers({ runId, approach }) {
  const client = await getContainerRuntimeClient();
  const ours = (await client.container.list())
    .map((info) => ({ info, serves: servedBy(info, runId) }))
    .filter(({ serves }) => serves !== undefined);
  await Promise.all(
    ours.map(({ info, serves }) =>
      setRunning(client.container.getById(info.Id), approach === 'all' || serves === approach, info.State),
    ),
  );
}

/**
 * Pauses the container `id` (`running` false) or unpauses it and waits until its health check
 * passes again (`running` true); nothing when it is so already. For a container that only some
 * of a scenario's rows use: paused while the others are timed.
 */
export async function runOnlyWhen(id, running) {
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(id);
  await setRunning(container, running, (await container.inspect()).State?.Status);
}

async function setRunning(container, running, state) {
  const paused = state === 'paused';
  if (running && paused) {
    await container.unpause();
    await untilHealthy(container);
  } else if (!running && !paused) {
    await container.pause();
  }
}

async function untilHealthy(container) {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    const health = (await container.inspect()).State?.Health;
    if (!health || health.Status === 'healthy') return;
    if (Date.now() > deadline) throw new Error(`container ${container.id} is not healthy after its unpause`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
