// The adapters' behaviour suite through jest (CommonJS), driven by test/adapters/adapters.test.ts.
// It uses the built package (dist/) through the kit's preset, as a user's project would.
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');

module.exports = {
  rootDir: __dirname,
  preset: join(root, 'jest-preset.cjs'),
  testMatch: ['**/*.spec.cjs'],
  moduleNameMapper: { '^timescale-testkit/jest$': join(root, 'dist', 'jest', 'index.cjs') },
  globals: { timescaleTestkit: { migrations: '../../../fixtures/migrations', keepFailed: true } },
  maxWorkers: 2,
};
