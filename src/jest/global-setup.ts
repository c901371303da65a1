import type { TestkitConfig } from '../config/index.js';
import { HANDOVER_ENV, type PreparedRun, prepareRun } from '../harness/index.js';

const RUN_KEY = Symbol.for('timescale-testkit.jest.run');

/**
 * Jest globalSetup: `globalSetup: 'timescale-testkit/jest/global-setup'`. Starts the server,
 * builds the template, and hands connection data to the workers through the environment.
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

/** @internal shared with the teardown, which jest runs in the same process */
export { RUN_KEY };
