import type { TestProject } from 'vitest/node';
import setupTestkit from '../../src/vitest/global-setup.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
  }
}

/**
 * The kit's own suite runs on the kit: its vitest global setup (configured in
 * vitest.config.ts through `provide.timescaleTestkitOptions`) starts the server and builds
 * the template; tests that need the bare server get its URL as `serverUrl`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown = await setupTestkit(project);
  project.provide('serverUrl', project.getProvidedContext().timescaleTestkit.serverUrl);
  return teardown;
}
