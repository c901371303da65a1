import { defineConfig } from 'vitest/config';

// Reach containers on loopback, not through the Docker bridge gateway that testcontainers
// picks when it believes it runs inside a container (/.dockerenv exists on CI machines).
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    provide: {
      timescaleTestkitOptions: { migrations: './fixtures/migrations' },
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'examples/repository/**/*.ts'],
      exclude: ['src/cli.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, branches: 85, functions: 90, statements: 90 },
    },
  },
});
