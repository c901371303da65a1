import { setTimeout as sleep } from 'node:timers/promises';
import type { ResolvedTestkitConfig, TestkitConfig } from '../config/index.js';
import {
  explainLostServer,
  forgetServerExit,
  isConnectionLost,
  recordServerExit,
  type ServerExit,
  ServerGoneError,
  type ServerRef,
} from '../connection/index.js';
import type { StartedTimescale } from '../container/index.js';
import { precreatedExtensions } from '../contract/index.js';
import { currentRunId, logger } from '../env/index.js';
import {
  type BrokerAddress,
  type CloneBroker,
  createTemplate,
  type IsolationMode,
  Template,
  trustHost,
} from '../isolation/index.js';
import { type Step, stepsWithin } from './deadline.js';
import { describeExternal, externalLine, startupLine } from './startup-line.js';

const debug = logger('harness');

/** What the global setup hands to the test workers: serialisable values only. */
export interface HandOver {
  serverUrl: string;
  template: string;
  runId: string;
  isolation: IsolationMode;
  prepared: number;
  pool: { max?: number; min?: number };
  keepFailed: boolean;
  seed?: number;
  trustedHosts: string[];
  /** The run's container, when the kit started one: a worker that loses the server names it. */
  container?: { id: string; image: string };
  /** A worker runs file after file (vitest's `isolate: false`): it claims the next file's clone early. */
  workerRunsManyFiles?: boolean;
  /** Where the run's clone broker (in the main process) hands out clones. */
  broker?: BrokerAddress;
}

export interface PrepareOptions {
  /** Test workers the run expects (clones kept waiting). */
  workers?: number;
  /** Where the startup line goes (default: stderr); `quiet` / TIMESCALE_TESTKIT_QUIET silence it. */
  log?: (line: string) => void;
  /** How long the teardown may wait on the server before it gives up and says so (default 30 s). */
  teardownTimeoutMs?: number;
}

/** How long a run's teardown waits on the server: it takes well under a second when the server answers. */
const TEARDOWN_TIMEOUT_MS = 30_000;

export interface PreparedRun {
  handOver: HandOver;
  server: StartedTimescale | undefined;
  teardown(): Promise<void>;
}

async function prepareTemplate(
  serverUrl: string,
  config: ResolvedTestkitConfig,
  runId: string,
  workers: number,
  wanted: readonly string[],
): Promise<{ template: Template; broker: CloneBroker }> {
  const migrations =
    typeof config.migrations === 'string'
      ? { dir: config.migrations, format: config.format, ...(config.files ? { files: config.files } : {}) }
      : config.migrations;
  const template = await createTemplate(serverUrl, { migrations, runId, extensions: precreatedExtensions(wanted) });
  try {
    // two per worker: a worker that moves on to its next file finds one waiting while the other
    // is made; one per worker before the workers start, the rest while they start
    const size = config.shared ?? workers * 2;
    return { template, broker: await template.brokerClones(size, Math.min(size, workers)) };
  } catch (error) {
    await template.close().catch(() => undefined);
    throw error;
  }
}

/**
 * How the container ended, when it did: the engine may still report it running for a moment
 * after its connections broke, so a lost connection waits (bounded) for the exit to show.
 */
async function exitOf(server: StartedTimescale, waitMs = 3_000): Promise<ServerExit | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const exit = await server.exitStatus().catch(() => undefined);
    if (exit || performance.now() >= deadline) return exit;
    await sleep(100);
  }
}

/**
 * Starts (or reuses, or skips for an external URL) the server, builds the template for the
 * migrations, and returns what workers need plus the teardown.
 */
export async function prepareRun(
  root: string,
  inline: TestkitConfig = {},
  {
    workers = 1,
    log = (line) => process.stderr.write(`${line}\n`),
    teardownTimeoutMs = TEARDOWN_TIMEOUT_MS,
  }: PrepareOptions = {},
): Promise<PreparedRun> {
  // loaded here, not at the top: test workers import this module too, and never read the
  // configuration, migrate or start a container
  const [{ loadConfig }, container] = await Promise.all([
    import('../config/index.js'),
    import('../container/index.js'),
  ]);
  const config = await loadConfig(root, inline);
  const server = config.url ? undefined : await container.startTimescale(config.container);
  const serverUrl = config.url ?? (server as StartedTimescale).connectionString;
  const host = new URL(serverUrl).hostname;
  trustHost(host);
  const wanted = config.container.extensions ?? container.DEFAULT_EXTENSIONS;
  if (server) {
    if (!config.quiet) log(startupLine(container, server));
  } else {
    const info = await describeExternal(container, serverUrl, wanted);
    if (!config.quiet) log(externalLine(container, serverUrl, info));
  }
  const runId = currentRunId();
  const ref: ServerRef = { serverUrl, container: server ? { id: server.id, image: server.image } : undefined };
  let gone: ServerExit | undefined;
  const unwatch = server?.onExit((exit) => {
    gone = exit;
    void recordServerExit(exit).catch(() => undefined);
    process.stderr.write(`timescale-testkit: ${new ServerGoneError(exit).message}\n`);
  });
  const { template, broker } = await prepareTemplate(serverUrl, config, runId, workers, wanted).catch(
    async (error: unknown) => {
      unwatch?.();
      const exit = gone ?? (server && isConnectionLost(error) ? await exitOf(server) : undefined);
      // a broken migration must not leave the run's container behind, nor a dead reused one
      await server?.stop({ remove: exit !== undefined }).catch(() => undefined);
      if (exit) throw new ServerGoneError(exit, error);
      throw (await explainLostServer(ref, error, 0)) ?? error;
    },
  );
  debug(`run ${runId} ready on ${host}, template ${template.name}`);
  return {
    server,
    handOver: {
      serverUrl,
      template: template.name,
      runId,
      isolation: config.isolation,
      prepared: config.prepared,
      pool: config.pool,
      keepFailed: config.keepFailed,
      ...(config.seed !== undefined ? { seed: config.seed } : {}),
      trustedHosts: [host],
      ...(ref.container ? { container: ref.container } : {}),
      broker: broker.address,
    },
    async teardown() {
      unwatch?.();
      const steps: Step[] = [['stopping the clone broker', () => broker.stop()]];
      const last: Step[] = [];
      if (gone && server) {
        // nothing left to clean on a dead server: stop the background work, remove the container
        steps.push(
          ['closing the template', () => template.close().catch(() => undefined)],
          ['forgetting the exit', () => forgetServerExit(server.id)],
          ['removing the container', () => server.stop({ remove: true }).catch(() => undefined)],
        );
      } else {
        steps.push(
          ["dropping the run's clones", () => template.dropRun()],
          ['closing the template', () => template.close()],
        );
        if (server) last.push(['stopping the container', () => server.stop()]);
      }
      const outcome = await stepsWithin(teardownTimeoutMs, steps, last);
      if (!outcome.done) {
        log(
          `timescale-testkit: the run's cleanup did not finish within ${teardownTimeoutMs / 1000} s (still ${outcome.stuckAt}), and was left running so that the test runner can exit; a later run drops the clones it left after an hour, \`npx timescale-testkit prune\` at once`,
        );
      }
    },
  };
}

let attached: { key: string; template: Template } | undefined;

/** The worker's handle on the run's template (one per process). */
export function attachRun(handOver: HandOver): Template {
  const key = `${handOver.serverUrl}#${handOver.template}#${handOver.runId}#${handOver.broker?.port ?? ''}`;
  if (attached?.key !== key) {
    for (const host of handOver.trustedHosts) trustHost(host);
    attached = {
      key,
      template: Template.attach(handOver.serverUrl, handOver.template, {
        runId: handOver.runId,
        prepared: handOver.prepared,
        pool: handOver.pool,
        ...(handOver.broker ? { broker: handOver.broker } : {}),
      }),
    };
  }
  return attached.template;
}

/**
 * Starts claiming the file's clone (and connecting to it) as soon as the test file loads the
 * runner integration, so that it overlaps the runner collecting the file's tests.
 */
export function prefetchClone(handOver: HandOver): void {
  attachRun(handOver).prefetch();
}

export const HANDOVER_ENV = 'TIMESCALE_TESTKIT_HANDOVER';
