import { availableParallelism } from 'node:os';
import { HANDOVER_ENV, type PreparedRun, prepareRun } from '../harness/index.js';

let run: PreparedRun | undefined;

/**
 * node:test global setup: `node --test --test-global-setup=<path to this module>`. Starts the
 * server (or attaches to `url`), builds the template from `timescale-testkit.config.*` in the
 * working directory, prints the startup line, and hands connection data to the test files
 * through the environment (node:test starts them after this returns).
 */
export async function globalSetup(): Promise<void> {
  // node --test runs up to availableParallelism() - 1 files at once
  run = await prepareRun(process.cwd(), {}, { workers: Math.max(1, availableParallelism() - 1) });
  process.env[HANDOVER_ENV] = JSON.stringify(run.handOver);
}

/** node:test global teardown: drops the run's clones and stops the container it started. */
export async function globalTeardown(): Promise<void> {
  await run?.teardown();
  run = undefined;
}
