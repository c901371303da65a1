import { defineConfig } from 'vitest/config';

// A run whose container is killed by its first test, driven by test/vitest/server-gone.test.ts.
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    include: ['test/vitest/server-gone/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations' } },
    sequence: { shuffle: false },
  },
});
