import type { TestProject } from 'vitest/node';
import { type StartedTimescale, startTimescale } from '../../src/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
  }
}

let instance: StartedTimescale | undefined;

/** One server for the kit's own suite; a missing engine fails the run with the reason. */
export async function setup(project: TestProject): Promise<void> {
  instance = await startTimescale();
  project.provide('serverUrl', instance.connectionString);
}

export async function teardown(): Promise<void> {
  await instance?.stop();
}
