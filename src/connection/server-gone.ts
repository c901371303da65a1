import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { kitStateDir } from '../env/index.js';
import { TimescaleTestkitError } from '../errors/index.js';
import { isConnectionLost, lostReason } from './lost.js';

/** What is known about a server that went away. */
export interface ServerExit {
  /** host:port the kit connected to. */
  server: string;
  /** The container, when the kit started one. */
  containerId?: string | undefined;
  image?: string | undefined;
  /** The container's exit code (137: killed by SIGKILL, e.g. `docker kill` or the OOM killer). */
  exitCode?: number | undefined;
  /** The kernel's OOM killer ended it. */
  oomKilled?: boolean | undefined;
  /** The container no longer exists (removed, e.g. `docker rm -f` or `timescale-testkit down`). */
  removed?: boolean | undefined;
  /** The container's last log lines. */
  logLines: readonly string[];
}

function what(exit: ServerExit): string {
  if (!exit.containerId) return `the server at ${exit.server} stopped answering`;
  const container = `container ${exit.containerId.slice(0, 12)}${exit.image ? ` (${exit.image})` : ''}`;
  if (exit.removed && exit.exitCode === undefined) return `${container} was removed`;
  if (exit.oomKilled) return `${container} was killed by the out-of-memory killer (exit code ${exit.exitCode})`;
  if (exit.exitCode === 137) return `${container} was killed (exit code 137, SIGKILL)`;
  return `${container} exited with code ${exit.exitCode}`;
}

function fixFor(exit: ServerExit): string {
  if (!exit.containerId) return 'check that the server is up and reachable, then run the tests again';
  if (exit.oomKilled) {
    return 'give the Docker engine more memory, or lower memory settings (shared_buffers, work_mem) in `container.settings`';
  }
  return (
    'something stopped it from outside the run (`docker kill`, `docker rm -f`, `timescale-testkit down` or ' +
    '`prune` from another terminal, or the Docker engine restarting): run the tests again'
  );
}

/**
 * The run's database server went away: the container died (killed, out of memory, stopped from
 * another terminal) or an external server stopped answering. Names the container, its exit code
 * and OOM flag, and carries its last log lines.
 */
export class ServerGoneError extends TimescaleTestkitError {
  readonly server: string;
  readonly containerId: string | undefined;
  readonly exitCode: number | undefined;
  readonly oomKilled: boolean;
  readonly logLines: readonly string[];
  /** What to do about it, in one line. */
  readonly fix: string;

  constructor(exit: ServerExit, cause?: unknown) {
    const logs =
      exit.logLines.length > 0
        ? `\nLast ${exit.logLines.length} log lines:\n${exit.logLines.map((line) => `  | ${line}`).join('\n')}`
        : '';
    const reason = cause === undefined ? '' : ` (${lostReason(cause)})`;
    super(
      'SERVER_GONE',
      `The database server went away: ${what(exit)}${reason}.${logs}\nFix: ${fixFor(exit)}.`,
      cause === undefined ? undefined : { cause },
    );
    this.server = exit.server;
    this.containerId = exit.containerId;
    this.exitCode = exit.exitCode;
    this.oomKilled = exit.oomKilled ?? false;
    this.logLines = exit.logLines;
    this.fix = fixFor(exit);
  }
}

function recordPath(containerId: string): string {
  return join(kitStateDir(), 'exits', `${containerId}.json`);
}

/** Written by the process that watches the container, read by test workers. */
export async function recordServerExit(exit: ServerExit): Promise<void> {
  if (!exit.containerId) return;
  await mkdir(join(kitStateDir(), 'exits'), { recursive: true, mode: 0o700 });
  await writeFile(recordPath(exit.containerId), JSON.stringify(exit), { mode: 0o600 });
}

export async function forgetServerExit(containerId: string): Promise<void> {
  await rm(recordPath(containerId), { force: true });
}

/** The recorded exit of a container, waiting up to `waitMs` for the watcher to write it. */
export async function readServerExit(containerId: string, waitMs: number): Promise<ServerExit | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      return JSON.parse(await readFile(recordPath(containerId), 'utf8')) as ServerExit;
    } catch {
      if (performance.now() >= deadline) return undefined;
      await sleep(50);
    }
  }
}

/** Where the run's server lives, as the workers know it. */
export interface ServerRef {
  serverUrl: string;
  container?: { id: string; image: string } | undefined;
}

/** host:port of a connection string. */
export function serverAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

/**
 * `error` as a {@link ServerGoneError} when it is a lost connection and the server is gone
 * (the container's exit was recorded, or, for an external server, it refuses connections);
 * undefined when the error is something else (e.g. one backend terminated).
 */
export async function explainLostServer(
  ref: ServerRef,
  error: unknown,
  waitMs = 3_000,
): Promise<ServerGoneError | undefined> {
  if (error instanceof ServerGoneError) return error;
  if (!isConnectionLost(error)) return undefined;
  if (ref.container) {
    const exit = await readServerExit(ref.container.id, waitMs);
    return exit ? new ServerGoneError(exit, error) : undefined;
  }
  if (await answers(ref.serverUrl)) return undefined;
  return new ServerGoneError({ server: serverAddress(ref.serverUrl), logLines: [] }, error);
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Servers this process knows are gone, by container id (or URL). */
const knownGone = new Map<string, ServerGoneError>();
const goneKey = (ref: ServerRef) => ref.container?.id ?? ref.serverUrl;

/**
 * The error of a server known to be gone: met by this process, or recorded by the run's
 * watcher (one stat while the record is absent).
 */
function goneAlready(ref: ServerRef): ServerGoneError | undefined {
  const key = goneKey(ref);
  const known = knownGone.get(key);
  if (known || !ref.container || !existsSync(recordPath(ref.container.id))) return known;
  try {
    const gone = new ServerGoneError(JSON.parse(readFileSync(recordPath(ref.container.id), 'utf8')) as ServerExit);
    knownGone.set(key, gone);
    return gone;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work`; a lost server becomes a {@link ServerGoneError}. Once the server is known to be
 * gone, work on it fails at once: a new connection to a dead container's own address is not
 * refused, it waits seconds for the address to stop resolving.
 */
export async function explainingLoss<T>(ref: ServerRef, work: () => Promise<T>): Promise<T> {
  const known = goneAlready(ref);
  if (known) throw known;
  try {
    return await work();
  } catch (error) {
    const explained = await explainLostServer(ref, error);
    if (explained) knownGone.set(goneKey(ref), explained);
    throw explained ?? error;
  }
}
