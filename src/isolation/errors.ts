import { TimescaleTestkitError } from '../errors/index.js';

/** Truncating or dropping was refused: the database or host is not one the kit made. */
export class UnsafeDatabaseError extends TimescaleTestkitError {
  readonly database: string;
  readonly host: string;

  constructor(action: string, database: string, host: string, reason: string) {
    super(
      'UNSAFE_DATABASE',
      `Refusing to ${action} database "${database}" on ${host}: ${reason}. ` +
        'The kit only truncates or drops databases it created, on loopback or on its own containers. ' +
        'If this database really is disposable, pass { unsafe: true } or set TIMESCALE_TESTKIT_ALLOW_ANY_DATABASE=1.',
    );
    this.database = database;
    this.host = host;
  }
}

/** Code in per-test transaction mode needed a second connection at the same time. */
export class TransactionModeError extends TimescaleTestkitError {
  constructor(message: string) {
    super('TRANSACTION_MODE', message);
  }
}

/** A database could not be cloned from its template. */
export class CloneError extends TimescaleTestkitError {
  constructor(message: string, cause?: unknown) {
    super('CLONE_FAILED', message, { cause });
  }
}
