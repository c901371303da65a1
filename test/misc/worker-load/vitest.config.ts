import { defineConfig } from 'vitest/config';

// What a test worker loads, driven by test/misc/worker-load.test.ts.
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    include: ['test/misc/worker-load/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations' } },
    execArgv: ['--import', new URL('./record-loads.mjs', import.meta.url).href],
  },
});
