// jest's preset for timescale-testkit: `preset: 'timescale-testkit'` in the jest config.
module.exports = {
  globalSetup: require.resolve('./dist/jest/global-setup.cjs'),
  globalTeardown: require.resolve('./dist/jest/global-teardown.cjs'),
  testEnvironment: require.resolve('./dist/jest/environment.cjs'),
};
