import type { ContainerRuntimeClient } from 'testcontainers';
import { logger } from '../env/index.js';
import { connectDocker } from './docker.js';
import { forgetInit } from './extensions.js';
import { LABEL_CONFIG_HASH, LABEL_CREATED_AT, LABEL_KIT, LABEL_REUSE, LABEL_RUN_ID } from './labels.js';
import { publishedHost } from './route.js';

const debug = logger('container');

export interface PruneOptions {
  /** Only containers of this run. */
  runId?: string;
  /** Only containers created at least this long ago (default 0: all). */
  olderThanMs?: number;
  /** Running reused containers too (default false: they are meant to outlive runs; stopped ones always go). */
  includeReused?: boolean;
  /** Only the containers with these (full) ids. */
  ids?: readonly string[];
  dockerTimeoutMs?: number;
}

export interface PrunedContainer {
  id: string;
  image: string;
  runId: string | undefined;
  reuse: boolean;
}

type ContainerInfo = Awaited<ReturnType<ContainerRuntimeClient['container']['list']>>[number];

/** Every container the kit labelled, running or not (a crashed run's container is stopped). */
async function kitContainers(client: ContainerRuntimeClient): Promise<ContainerInfo[]> {
  return client.container.dockerode.listContainers({ all: true, filters: { label: [`${LABEL_KIT}=true`] } });
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 404;
}

/**
 * Stops and removes one container, then asks the engine whether it is gone: true only for a
 * removal the engine confirms (an engine can answer a stop or a remove and keep the container).
 */
export async function removeContainer(client: ContainerRuntimeClient, id: string): Promise<boolean> {
  const container = client.container.getById(id);
  await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
  await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
  try {
    await client.container.inspect(container);
    return false;
  } catch (error) {
    if (!isNotFound(error)) return false;
    await forgetInit(id);
    return true;
  }
}

/**
 * Removes containers the kit labelled, for machines where Ryuk (testcontainers' reaper)
 * cannot run: a run's own containers, stopped ones of any kind, and running reused ones with
 * `includeReused`. Returns the removals the engine confirmed.
 *
 * @example
 * ```ts
 * await pruneContainers({ olderThanMs: 60 * 60_000 })   // what crashed runs left an hour ago or more
 * ```
 */
export async function pruneContainers(options: PruneOptions = {}): Promise<PrunedContainer[]> {
  const client = await connectDocker(options.dockerTimeoutMs ?? 2_000);
  const now = Date.now();
  const removed: PrunedContainer[] = [];
  for (const info of await kitContainers(client)) {
    const labels = info.Labels ?? {};
    const reuse = labels[LABEL_REUSE] === 'true';
    if (reuse && info.State === 'running' && !options.includeReused) continue;
    if (options.runId !== undefined && labels[LABEL_RUN_ID] !== options.runId) continue;
    if (options.ids !== undefined && !options.ids.includes(info.Id)) continue;
    if (options.olderThanMs !== undefined && now - createdAt(info) < options.olderThanMs) continue;
    if (await removeContainer(client, info.Id)) {
      removed.push({ id: info.Id, image: info.Image, runId: labels[LABEL_RUN_ID], reuse });
    } else {
      debug(`container ${info.Id.slice(0, 12)} is still there after its removal`);
    }
  }
  debug(`pruned ${removed.length} container(s)`);
  return removed;
}

export interface KitContainer {
  id: string;
  image: string;
  /** `running`, `exited`, `created`, `paused`, ... */
  state: string;
  /** The exit code of a stopped container (137: killed). */
  exitCode: number | undefined;
  runId: string | undefined;
  configHash: string | undefined;
  reuse: boolean;
  ports: { host: string | undefined; port: number; container: number }[];
  /** When the kit created it. */
  createdAt: Date;
  /** Connection string of its database (from its environment and mapped port), if it publishes 5432. */
  connectionString: string | undefined;
}

function exitCodeOf(status: string | undefined): number | undefined {
  const code = /\((\d+)\)/.exec(status ?? '')?.[1];
  return code === undefined ? undefined : Number(code);
}

function createdAt(info: ContainerInfo): number {
  return Number(info.Labels?.[LABEL_CREATED_AT] ?? info.Created * 1000);
}

async function connectionStringOf(client: ContainerRuntimeClient, info: ContainerInfo): Promise<string | undefined> {
  const published = (info.Ports ?? []).find((p) => p.PrivatePort === 5432 && p.PublicPort !== undefined);
  const port = published?.PublicPort;
  if (port === undefined) return undefined;
  const inspected = await client.container.inspect(client.container.getById(info.Id)).catch(() => undefined);
  const env = new Map<string, string>();
  for (const entry of inspected?.Config?.Env ?? []) {
    const at = entry.indexOf('=');
    env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  const url = new URL('postgres://localhost');
  // the address the kit connects to: the loopback address the port is bound to, for localhost
  url.hostname = publishedHost(client.info.containerRuntime.host, published?.IP);
  url.port = String(port);
  url.username = encodeURIComponent(env.get('POSTGRES_USER') ?? 'postgres');
  url.password = encodeURIComponent(env.get('POSTGRES_PASSWORD') ?? '');
  url.pathname = `/${encodeURIComponent(env.get('POSTGRES_DB') ?? env.get('POSTGRES_USER') ?? 'postgres')}`;
  return url.toString();
}

/**
 * Containers the kit labelled, running or stopped (`state` tells: running, exited, ...).
 *
 * @example
 * ```ts
 * for (const c of await listContainers()) console.log(c.id.slice(0, 12), c.state, c.exitCode, c.connectionString)
 * ```
 */
export async function listContainers(options: { dockerTimeoutMs?: number } = {}): Promise<KitContainer[]> {
  const client = await connectDocker(options.dockerTimeoutMs ?? 2_000);
  const kit = await kitContainers(client);
  return Promise.all(
    kit.map(async (info) => ({
      id: info.Id,
      image: info.Image,
      state: info.State,
      exitCode: info.State === 'exited' ? exitCodeOf(info.Status) : undefined,
      runId: info.Labels[LABEL_RUN_ID],
      configHash: info.Labels[LABEL_CONFIG_HASH],
      reuse: info.Labels[LABEL_REUSE] === 'true',
      ports: (info.Ports ?? [])
        .filter((port) => port.PublicPort !== undefined)
        .map((port) => ({ host: port.IP, port: port.PublicPort, container: port.PrivatePort })),
      createdAt: new Date(createdAt(info)),
      connectionString: await connectionStringOf(client, info),
    })),
  );
}
