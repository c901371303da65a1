import type { PreparedRun } from '../harness/index.js';
import { RUN_KEY } from './run-key.js';

/** Jest globalTeardown: `globalTeardown: 'timescale-testkit/jest/global-teardown'`. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<symbol, PreparedRun | undefined>;
  await holder[RUN_KEY]?.teardown();
  holder[RUN_KEY] = undefined;
}
