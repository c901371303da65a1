// jest.config.js
module.exports = {
  testEnvironment: 'node',
  globalSetup: 'timescale-testkit/jest/global-setup',
  globalTeardown: 'timescale-testkit/jest/global-teardown',
}
