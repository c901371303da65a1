import { TestEnvironment } from 'jest-environment-node';
import { FAILED } from './failed.js';

/** The events of jest-circus the environment reads (a subset of `Circus.Event`). */
type CircusEvent = { name: string; hook?: { type?: string } };

/**
 * jest's node environment, plus what `afterEach` cannot ask jest: whether the test that just
 * ran failed. With it, a failed test's database is kept (`keepFailed`) and its factories seed
 * printed. `preset: 'timescale-testkit'` sets it, or `testEnvironment: 'timescale-testkit/jest/environment'`.
 */
export default class TimescaleTestkitEnvironment extends TestEnvironment {
  async handleTestEvent(event: CircusEvent): Promise<void> {
    const global = this.global as unknown as Record<symbol, unknown>;
    if (event.name === 'test_start') global[FAILED] = false;
    else if (event.name === 'test_fn_failure') global[FAILED] = true;
    else if (event.name === 'hook_failure' && event.hook?.type === 'beforeEach') global[FAILED] = true;
  }
}
