/** Where the jest global setup leaves the run for the teardown, which jest runs in the same process. */
export const RUN_KEY = Symbol.for('timescale-testkit.jest.run');
