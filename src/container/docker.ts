import { existsSync } from 'node:fs';
import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { DockerUnavailableError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

interface Modem {
  socketPath?: unknown;
  host?: unknown;
}

function modemOf(client: ContainerRuntimeClient): Modem | undefined {
  const container: unknown = client.container;
  if (container && typeof container === 'object' && 'dockerode' in container) {
    const dockerode: unknown = container.dockerode;
    if (dockerode && typeof dockerode === 'object' && 'modem' in dockerode) {
      const modem: unknown = dockerode.modem;
      if (modem && typeof modem === 'object') return modem as Modem;
    }
  }
  return undefined;
}

/**
 * testcontainers falls back to /var/run/docker.sock when DOCKER_HOST does not answer.
 * A user who names an engine means that engine: refuse the fallback.
 */
function assertRequestedEngine(client: ContainerRuntimeClient, dockerHost: string, started: number): void {
  const url = new URL(dockerHost);
  const modem = modemOf(client);
  if (!modem) return;
  const matches =
    url.protocol === 'unix:' ? modem.socketPath === url.pathname : url.hostname === '' || modem.host === url.hostname;
  if (!matches) {
    throw new DockerUnavailableError(
      'it did not answer and only another engine did',
      dockerHost,
      performance.now() - started,
    );
  }
}

/** Connects to the Docker engine through testcontainers, failing fast with the fixes. */
export async function connectDocker(timeoutMs: number): Promise<ContainerRuntimeClient> {
  const started = performance.now();
  const dockerHost = process.env.DOCKER_HOST || undefined;
  if (dockerHost?.startsWith('unix://') && !existsSync(new URL(dockerHost).pathname)) {
    throw new DockerUnavailableError('the socket does not exist', dockerHost, performance.now() - started);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DockerUnavailableError('no answer', dockerHost, performance.now() - started)),
      timeoutMs,
    );
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    if (dockerHost) assertRequestedEngine(client, dockerHost, started);
    return client;
  } catch (error) {
    if (error instanceof DockerUnavailableError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new DockerUnavailableError(detail, dockerHost, performance.now() - started, error);
  } finally {
    clearTimeout(timer);
  }
}

/** True when the engine runs on this machine, so mapped ports can be bound to loopback. */
export function isLocalEngine(client: ContainerRuntimeClient): boolean {
  return LOOPBACK_HOSTS.has(client.info.containerRuntime.host);
}
