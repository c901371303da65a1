import { defineConfig } from 'vitest/config';

// A run whose tests end badly on purpose (a timeout mid-query, a client never released),
// driven by test/vitest/test-end.test.ts.
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    include: ['test/vitest/ending/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations', keepFailed: false } },
    sequence: { shuffle: false },
  },
});
