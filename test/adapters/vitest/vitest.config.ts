import { defineConfig } from 'vitest/config';

// The adapters' behaviour suite through vitest, driven by test/adapters/adapters.test.ts.
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    include: ['test/adapters/vitest/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations', keepFailed: true } },
    maxWorkers: 2,
  },
});
