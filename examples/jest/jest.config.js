// jest.config.js
module.exports = {
  preset: 'timescale-testkit', // global setup and teardown, and the environment that reports failed tests
}
