import { defineConfig } from 'vitest/config';

// A run whose only test fails on purpose, driven by test/vitest/keep-failed.test.ts.
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    include: ['test/vitest/failing/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations', keepFailed: true } },
  },
});
