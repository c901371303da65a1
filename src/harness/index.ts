import { loadConfig, type ResolvedTestkitConfig, type TestkitConfig } from '../config/index.js';
import type { StartedTimescale } from '../container/index.js';
import { debugLog } from '../debug.js';
import { createTemplate, type IsolationMode, type SharedClonePool, Template, trustHost } from '../isolation/index.js';
import { currentRunId } from '../run-id.js';

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
): Promise<{ template: Template; shared: SharedClonePool }> {
  const migrations =
    typeof config.migrations === 'string'
      ? { dir: config.migrations, format: config.format, ...(config.files ? { files: config.files } : {}) }
      : config.migrations;
  const template = await createTemplate(serverUrl, { migrations, runId });
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
  { workers = 1 }: { workers?: number } = {},
): Promise<PreparedRun> {
  const config = await loadConfig(root, inline);
  // loaded here, not at the top: test workers import this module too, and never start a container
  const server = config.url
    ? undefined
    : await (await import('../container/index.js')).startTimescale(config.container);
  const serverUrl = config.url ?? (server as StartedTimescale).connectionString;
  const host = new URL(serverUrl).hostname;
  trustHost(host);
  const runId = currentRunId();
  const { template, shared } = await prepareTemplate(serverUrl, config, runId, workers).catch(
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
