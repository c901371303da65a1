import { defineConfig } from 'vitest/config';
import container from './container.json' with { type: 'json' };

// The suite scripts/soak.mjs runs again and again, two runs at once, on one reused container.

export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    include: ['test/soak/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations', container } },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
