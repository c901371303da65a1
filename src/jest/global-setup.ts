import type { TestkitConfig } from '../config/index.js';
import { HANDOVER_ENV, type PreparedRun, prepareRun } from '../harness/index.js';
import { RUN_KEY } from './run-key.js';

/**
 * Jest globalSetup (set by `preset: 'timescale-testkit'`, or `globalSetup:
 * 'timescale-testkit/jest/global-setup'`). Starts the server (or attaches to `url`), builds the
 * template, prints the startup line, and hands connection data to the workers through the
 * environment. Inline options: `globals: { timescaleTestkit: { ... } }` in the jest config.
 */
export default async function globalSetup(
  globalConfig: { rootDir: string; maxWorkers?: number },
  projectConfig?: { globals?: unknown },
): Promise<void> {
  const globals = (projectConfig?.globals ?? {}) as { timescaleTestkit?: TestkitConfig };
  const run = await prepareRun(globalConfig.rootDir, globals.timescaleTestkit ?? {}, {
    workers: globalConfig.maxWorkers ?? 1,
  });
  process.env[HANDOVER_ENV] = JSON.stringify(run.handOver);
  (globalThis as Record<symbol, PreparedRun | undefined>)[RUN_KEY] = run;
}
