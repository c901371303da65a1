import { existsSync } from 'node:fs';
import { type ContainerRuntimeClient, getContainerRuntimeClient, ImageName } from 'testcontainers';
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

/** The engine testcontainers talks to, as a URL: `unix:///var/run/docker.sock`, `tcp://host:2375`. */
function engineEndpoint(client: ContainerRuntimeClient): string {
  const modem = modemOf(client) as (Modem & { port?: unknown; protocol?: unknown }) | undefined;
  if (typeof modem?.socketPath === 'string') return `unix://${modem.socketPath}`;
  if (typeof modem?.host === 'string') {
    const protocol = modem.protocol === 'https' ? 'https' : 'tcp';
    return `${protocol}://${modem.host}${modem.port ? `:${String(modem.port)}` : ''}`;
  }
  return 'unknown';
}

/** Whether an image is on the engine, else whether its registry would serve it (nothing is pulled). */
async function imageAvailability(
  client: ContainerRuntimeClient,
  image: string,
  timeoutMs = 5_000,
): Promise<
  { local: true } | { local: false; pullable: true; digest: string } | { local: false; pullable: false; reason: string }
> {
  if (await client.image.exists(ImageName.fromString(image))) return { local: true };
  const container: unknown = client.container;
  const dockerode =
    container && typeof container === 'object' && 'dockerode' in container
      ? (container.dockerode as {
          getImage(name: string): { distribution(): Promise<{ Descriptor?: { digest?: string } }> };
        })
      : undefined;
  if (!dockerode) return { local: false, pullable: false, reason: 'the engine cannot be asked about registries' };
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      dockerode.getImage(image).distribution(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the registry did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { local: false, pullable: true, digest: answer.Descriptor?.digest ?? '?' };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^\(HTTP code \d+\)[^-]*- /, '');
    return { local: false, pullable: false, reason: reason.trim() };
  } finally {
    clearTimeout(timer);
  }
}

export type ImageAvailability = Awaited<ReturnType<typeof imageAvailability>>;

/** What `timescale-testkit doctor` learns about the Docker engine testcontainers resolves. */
export interface EngineProbe {
  /** The engine's endpoint: `unix:///var/run/docker.sock`, `tcp://host:2375`. */
  endpoint: string;
  /** The engine's version and operating system, as it reports them. */
  serverVersion: string;
  operatingSystem: string;
  /** The host testcontainers reaches containers at (TESTCONTAINERS_HOST_OVERRIDE, the bridge gateway, localhost). */
  host: string;
  /** Whether the image is on the engine, or pullable (nothing is pulled). */
  image(image: string): Promise<ImageAvailability>;
}

/** Connects like {@link connectDocker} (failing the same way) and describes the engine. */
export async function probeEngine(timeoutMs: number): Promise<EngineProbe> {
  const client = await connectDocker(timeoutMs);
  const runtime = client.info.containerRuntime;
  return {
    endpoint: engineEndpoint(client),
    serverVersion: String(runtime.serverVersion),
    operatingSystem: runtime.operatingSystem,
    host: runtime.host,
    image: (image) => imageAvailability(client, image),
  };
}
