import type { TestProject } from 'vitest/node';
import type { TestkitConfig } from '../config/index.js';
import { type HandOver, prepareRun } from '../harness/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection data from timescale-testkit's global setup to the test workers. */
    timescaleTestkit: HandOver;
    /** Inline options for timescale-testkit (vitest config `test.provide`). */
    timescaleTestkitOptions: TestkitConfig;
  }
}

/**
 * Vitest global setup: `globalSetup: ['timescale-testkit/vitest/global-setup']`.
 * Starts (or reuses, or skips for TIMESCALE_TESTKIT_URL) the server, builds the template
 * for the migrations once, hands connection data to workers, and tears down at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provided = project.config.provide as { timescaleTestkitOptions?: TestkitConfig } | undefined;
  const run = await prepareRun(project.config.root, provided?.timescaleTestkitOptions ?? {}, {
    workers: project.config.maxWorkers,
  });
  // with isolate: false a worker runs file after file: it can claim the next file's clone early
  project.provide('timescaleTestkit', { ...run.handOver, workerRunsManyFiles: project.config.isolate === false });
  return () => run.teardown();
}
