import { defineConfig } from 'vitest/config';

// Files that share their worker (isolate: false; pool from env SHARED_WORKER_POOL), driven by
// test/vitest/shared-worker.test.ts.
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    include: ['test/vitest/shared-worker/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: { timescaleTestkitOptions: { migrations: './fixtures/migrations' } },
    isolate: false,
    pool: process.env.SHARED_WORKER_POOL === 'threads' ? 'threads' : 'forks',
    maxWorkers: 2,
  },
});
