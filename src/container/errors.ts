import { TimescaleTestkitError } from '../errors/index.js';

export { ExtensionMissingError } from '../contract/index.js';

/** The Docker engine could not be reached (or not the one DOCKER_HOST names). */
export class DockerUnavailableError extends TimescaleTestkitError {
  readonly dockerHost: string | undefined;
  readonly elapsedMs: number;

  constructor(detail: string, dockerHost: string | undefined, elapsedMs: number, cause?: unknown) {
    const where = dockerHost ? `DOCKER_HOST=${dockerHost}` : 'the default Docker socket';
    super(
      'DOCKER_UNAVAILABLE',
      [
        `Docker is not reachable through ${where} (${detail}, after ${Math.round(elapsedMs)} ms).`,
        'Fix one of:',
        '  - start the Docker engine (e.g. `sudo systemctl start docker`, or `dockerd &`);',
        '  - set DOCKER_HOST to a reachable engine (e.g. unix:///var/run/docker.sock or tcp://host:2375);',
        '  - point the kit at an existing server with TIMESCALE_TESTKIT_URL=postgres://user:pass@host:5432/db.',
      ].join('\n'),
      { cause },
    );
    this.dockerHost = dockerHost;
    this.elapsedMs = elapsedMs;
  }
}

/** Docker could not publish the server's port: every host port it picked was held by another process. */
export class PortTakenError extends TimescaleTestkitError {
  readonly image: string;
  readonly attempts: number;

  constructor(image: string, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'PORT_TAKEN',
      [
        `Docker could not publish the port of the ${image} container in ${attempts} starts: ${reason}`,
        'Docker picks host ports in order from the start of the ephemeral range, where the machine also',
        'opens its client sockets. Reserve the first ports of that range for Docker (e.g. `sysctl -w',
        'net.ipv4.ip_local_reserved_ports=32768-34767`), or free the ports the other processes hold.',
      ].join('\n'),
      { cause },
    );
    this.image = image;
    this.attempts = attempts;
  }
}

export interface StartupFailure {
  containerId?: string | undefined;
  /** Set when the container exited while starting. */
  exitCode?: number | undefined;
  oomKilled?: boolean | undefined;
}

/** The container did not become ready in time, or exited while starting. */
export class StartupTimeoutError extends TimescaleTestkitError {
  readonly image: string;
  readonly timeoutMs: number;
  readonly logLines: readonly string[];
  readonly containerId: string | undefined;
  /** The container's exit code when it exited while starting (undefined: it ran out of time). */
  readonly exitCode: number | undefined;
  readonly oomKilled: boolean;

  constructor(
    image: string,
    timeoutMs: number,
    logLines: readonly string[],
    cause?: unknown,
    failure: StartupFailure = {},
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const what =
      failure.exitCode === undefined
        ? `was not ready within ${timeoutMs} ms (${reason})`
        : `exited while starting (${reason})`;
    super(
      'STARTUP_TIMEOUT',
      `Container ${failure.containerId ? `${failure.containerId.slice(0, 12)} ` : ''}for ${image} ${what}.\n` +
        `Last ${logLines.length} log lines:\n${logLines.map((line) => `  | ${line}`).join('\n')}`,
      { cause },
    );
    this.image = image;
    this.timeoutMs = timeoutMs;
    this.logLines = logLines;
    this.containerId = failure.containerId;
    this.exitCode = failure.exitCode;
    this.oomKilled = failure.oomKilled ?? false;
  }
}
