/** Where the kit's jest environment records whether the running test failed (on the test file's global). */
export const FAILED = Symbol.for('timescale-testkit.jest.failed');
