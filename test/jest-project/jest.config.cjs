// A small CommonJS jest project that uses timescale-testkit/jest as a user would. The
// package resolves to this checkout's build (dist/), so `npm run build` must have run.
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/*.test.cjs'],
  globalSetup: join(dist, 'jest', 'global-setup.cjs'),
  globalTeardown: join(dist, 'jest', 'global-teardown.cjs'),
  moduleNameMapper: { '^timescale-testkit/jest$': join(dist, 'jest', 'index.cjs') },
  globals: { timescaleTestkit: { migrations: '../../fixtures/migrations' } },
  maxWorkers: 2,
};
