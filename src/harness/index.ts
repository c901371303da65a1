import { loadConfig, type ResolvedTestkitConfig, type TestkitConfig } from '../config/index.js';
import type { StartedTimescale } from '../container/index.js';
import { debugLog } from '../debug.js';
import { precreatedExtensions } from '../extensions.js';
import { createTemplate, type IsolationMode, type SharedClonePool, Template, trustHost } from '../isolation/index.js';
import { currentRunId } from '../run-id.js';
import { describeExternal, externalLine, startupLine } from './startup-line.js';

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
}

export interface PrepareOptions {
  /** Test workers the run expects (clones kept waiting). */
  workers?: number;
  /** Where the startup line goes (default: stderr); `quiet` / TIMESCALE_TESTKIT_QUIET silence it. */
  log?: (line: string) => void;
}

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
): Promise<{ template: Template; shared: SharedClonePool }> {
  const template = await createTemplate(serverUrl, {
    migrations: { dir: config.migrations, format: config.format },
    runId,
    extensions: precreatedExtensions(wanted),
  });
  try {
    return { template, shared: await template.shareClones(config.shared ?? workers) };
  } catch (error) {
    await template.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Starts (or reuses, or skips for an external URL) the server, builds the template for the
 * migrations, and returns what workers need plus the teardown.
 */
export async function prepareRun(
  root: string,
  inline: TestkitConfig = {},
  { workers = 1, log = (line) => process.stderr.write(`${line}\n`) }: PrepareOptions = {},
): Promise<PreparedRun> {
  const config = await loadConfig(root, inline);
  // loaded here, not at the top: test workers import this module too, and never start a container
  const container = await import('../container/index.js');
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
  const { template, shared } = await prepareTemplate(serverUrl, config, runId, workers, wanted).catch(
    async (error: unknown) => {
      // a broken migration must not leave the run's container behind
      await server?.stop();
      throw error;
    },
  );
  debugLog(`run ${runId} ready on ${host}, template ${template.name}`);
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
    },
    async teardown() {
      try {
        await shared.stop();
        await template.dropRun();
        await template.close();
      } finally {
        await server?.stop();
      }
    },
  };
}

let attached: { key: string; template: Template } | undefined;

/** The worker's handle on the run's template (one per process). */
export function attachRun(handOver: HandOver): Template {
  const key = `${handOver.serverUrl}#${handOver.template}#${handOver.runId}`;
  if (attached?.key !== key) {
    for (const host of handOver.trustedHosts) trustHost(host);
    attached = {
      key,
      template: Template.attach(handOver.serverUrl, handOver.template, {
        runId: handOver.runId,
        prepared: handOver.prepared,
        pool: handOver.pool,
      }),
    };
  }
  return attached.template;
}

export const HANDOVER_ENV = 'TIMESCALE_TESTKIT_HANDOVER';
