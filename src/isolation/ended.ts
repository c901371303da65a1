import { TimescaleTestkitError } from '../errors/index.js';

/** Code of a finished test (e.g. one abandoned when it timed out) used the test's pool afterwards. */
export class TestEndedError extends TimescaleTestkitError {
  constructor() {
    super(
      'TEST_ENDED',
      "This test's db.pool was used after the test ended (e.g. by code still running after a timeout); " +
        'the query was not sent, so it cannot leak into the next test.',
    );
  }
}

/** A test ended with clients it took from db.pool still checked out. */
export class ClientNotReleasedError extends TimescaleTestkitError {
  readonly test: string | undefined;
  readonly clients: number;

  constructor(test: string | undefined, clients: number) {
    super(
      'CLIENT_NOT_RELEASED',
      `${clients === 1 ? 'A client' : `${clients} clients`} taken from db.pool ` +
        `${test ? `in test "${test}" ` : ''}${clients === 1 ? 'was' : 'were'} not released. ` +
        'The kit cancelled its query, closed the connection (which rolls back its open transaction) ' +
        'and went on with the next test.\nFix: call client.release() in a finally block after pool.connect().',
    );
    this.test = test;
    this.clients = clients;
  }
}
