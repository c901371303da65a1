import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type BoundPorts, getContainerRuntimeClient, type WaitStrategy } from 'testcontainers';
import { lastLogLines } from './logs.js';

type EngineContainer = Parameters<WaitStrategy['waitUntilReady']>[0];

const POSTGRES_PORT = 5432;
const POLL_MS = 100;

export interface Credentials {
  username: string;
  password: string;
  database: string;
}

/** Why a container did not become ready: it exited, or the time ran out. */
export class ContainerNotReady extends Error {
  constructor(
    message: string,
    readonly logLines: readonly string[],
    readonly exitCode: number | undefined,
    readonly oomKilled: boolean,
  ) {
    super(message);
  }
}

async function acceptsQueries(host: string, port: number, credentials: Credentials): Promise<boolean> {
  const client = new pg.Client({
    host,
    port,
    user: credentials.username,
    password: credentials.password,
    database: credentials.database,
    connectionTimeoutMillis: 2_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Ready means: the server answers a query on the mapped port with the container's
 * credentials. Checked from the host, so nothing runs inside the container (no health
 * check, no exec whose orphans the postmaster would reap), and only while starting.
 * A container that exits while starting fails at once, with its last log lines read
 * from the engine (not from a log stream that can lose the race with the exit).
 */
export class ServerReadyWaitStrategy implements WaitStrategy {
  #timeoutMs = 60_000;
  #timeoutSet = false;

  constructor(private readonly credentials: () => Credentials) {}

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }
  getStartupTimeout(): number {
    return this.#timeoutMs;
  }

  async waitUntilReady(container: EngineContainer, boundPorts: BoundPorts): Promise<void> {
    const client = await getContainerRuntimeClient();
    const host = client.info.containerRuntime.host;
    const port = boundPorts.getBinding(POSTGRES_PORT);
    const deadline = performance.now() + this.#timeoutMs;
    for (;;) {
      if (await acceptsQueries(host, port, this.credentials())) return;
      const state = (await client.container.inspect(container)).State;
      if (!state.Running || state.Restarting) {
        throw new ContainerNotReady(
          `the container exited with code ${state.ExitCode}${state.OOMKilled ? ' (out of memory)' : ''} while starting`,
          await lastLogLines(client, container),
          state.ExitCode,
          state.OOMKilled,
        );
      }
      if (performance.now() >= deadline) {
        // stopped first, so that the log stream ends with the container's last line
        await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
        throw new ContainerNotReady(
          `no answer on port ${port} within ${this.#timeoutMs} ms`,
          await lastLogLines(client, container),
          undefined,
          false,
        );
      }
      await sleep(POLL_MS);
    }
  }
}
