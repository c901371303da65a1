import { connectClient } from '../connection/index.js';
import type { ServerInfo, StartedTimescale } from '../container/index.js';
import { ExtensionMissingError, serverAt } from '../contract/index.js';

/** The container module, loaded where a run starts (test workers never load it). */
type ContainerModule = typeof import('../container/index.js');

const PREFIX = 'timescale-testkit:';

/**
 * The line a run prints first: image, versions, edition and whether the container was reused,
 * e.g. `timescale-testkit: timescale/timescaledb:2.30.2-pg17 (container 1a2b3c4d5e6f, new): PostgreSQL 17.6, TimescaleDB 2.30.2 (Community edition), pgvector 0.8.1`.
 */
export function startupLine(container: ContainerModule, server: StartedTimescale): string {
  const how = server.reused ? 'reused' : 'new';
  return `${PREFIX} ${server.image} (container ${server.id.slice(0, 12)}, ${how}): ${container.serverSummary(server.versions, server.edition)}`;
}

/** The same for a server the kit did not start: `external server host:port/db` instead of the image. */
export function externalLine(container: ContainerModule, serverUrl: string, info: ServerInfo): string {
  const url = new URL(serverUrl);
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  return `${PREFIX} external server ${where}: ${container.serverSummary(container.versionsOf(info), info.edition)}`;
}

/**
 * What a server the kit did not start runs; a wanted extension it does not have is an
 * {@link ExtensionMissingError} before any template is built.
 */
export async function describeExternal(
  container: ContainerModule,
  serverUrl: string,
  wanted: readonly string[],
): Promise<ServerInfo> {
  const client = await connectClient(serverUrl, 'external server');
  try {
    const info = await container.describeServer(client, wanted);
    const missing = wanted.find((name) => info.extensions[name] === undefined);
    if (missing) throw new ExtensionMissingError(missing, serverAt(serverUrl), 'the server does not have it installed');
    return info;
  } finally {
    await client.end();
  }
}
