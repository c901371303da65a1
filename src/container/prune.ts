import { debugLog } from '../debug.js';
import { connectDocker } from './docker.js';
import { LABEL_CONFIG_HASH, LABEL_CREATED_AT, LABEL_KIT, LABEL_REUSE, LABEL_RUN_ID } from './labels.js';

export interface PruneOptions {
  /** Only containers of this run. */
  runId?: string;
  /** Only containers created at least this long ago (default 0: all). */
  olderThanMs?: number;
  /** Reused containers too (default false: they are meant to outlive runs). */
  includeReused?: boolean;
  dockerTimeoutMs?: number;
}

export interface PrunedContainer {
  id: string;
  image: string;
  runId: string | undefined;
  reuse: boolean;
}

/**
 * Removes containers the kit labelled, for machines where Ryuk (testcontainers' reaper)
 * cannot run. Returns what it removed.
 */
export async function pruneContainers(options: PruneOptions = {}): Promise<PrunedContainer[]> {
  const client = await connectDocker(options.dockerTimeoutMs ?? 2_000);
  const now = Date.now();
  const removed: PrunedContainer[] = [];
  for (const info of await client.container.list()) {
    const labels = info.Labels ?? {};
    if (labels[LABEL_KIT] !== 'true') continue;
    const reuse = labels[LABEL_REUSE] === 'true';
    if (reuse && !options.includeReused) continue;
    if (options.runId !== undefined && labels[LABEL_RUN_ID] !== options.runId) continue;
    const createdAt = Number(labels[LABEL_CREATED_AT] ?? info.Created * 1000);
    if (options.olderThanMs !== undefined && now - createdAt < options.olderThanMs) continue;
    const container = client.container.getById(info.Id);
    await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
    await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
    removed.push({ id: info.Id, image: info.Image, runId: labels[LABEL_RUN_ID], reuse });
  }
  debugLog(`pruned ${removed.length} container(s)`);
  return removed;
}

export interface KitContainer {
  id: string;
  image: string;
  state: string;
  runId: string | undefined;
  configHash: string | undefined;
  reuse: boolean;
  ports: { host: string | undefined; port: number; container: number }[];
}

/** Running containers the kit labelled. */
export async function listContainers(options: { dockerTimeoutMs?: number } = {}): Promise<KitContainer[]> {
  const client = await connectDocker(options.dockerTimeoutMs ?? 2_000);
  return (await client.container.list())
    .filter((info) => info.Labels?.[LABEL_KIT] === 'true')
    .map((info) => ({
      id: info.Id,
      image: info.Image,
      state: info.State,
      runId: info.Labels[LABEL_RUN_ID],
      configHash: info.Labels[LABEL_CONFIG_HASH],
      reuse: info.Labels[LABEL_REUSE] === 'true',
      ports: (info.Ports ?? [])
        .filter((port) => port.PublicPort !== undefined)
        .map((port) => ({ host: port.IP, port: port.PublicPort, container: port.PrivatePort })),
    }));
}
