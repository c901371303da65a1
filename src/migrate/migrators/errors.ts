import { TimescaleTestkitError } from '../../errors/index.js';

export interface CommandFailure {
  /** The command as given, for messages (`npx knex migrate:latest`). */
  command: string;
  cwd: string;
  /** The database it migrated (the name only, never the URL with its password). */
  database: string;
  /** Its stdout and stderr interleaved, the end of them when long. */
  output: string;
}

function indented(output: string): string {
  const text = output.trimEnd();
  if (text === '') return '(no output)';
  return text
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}

/** A migration command failed: it exited with a non-zero code or was killed by a signal. */
export class MigrationCommandError extends TimescaleTestkitError {
  readonly command: string;
  readonly cwd: string;
  readonly database: string;
  /** What the command printed (stdout and stderr, interleaved; the last 64 KiB). */
  readonly output: string;
  /** Its exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;

  constructor(
    failure: CommandFailure,
    exitCode: number | null,
    signal: string | null,
    options: { code?: string; headline?: string; advice?: string } = {},
  ) {
    const ended = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super(
      options.code ?? 'MIGRATION_COMMAND_FAILED',
      [
        options.headline ??
          `Migration command \`${failure.command}\` ${ended} while migrating database ${failure.database} (cwd ${failure.cwd}).`,
        ...(options.advice ? [options.advice] : []),
        'Its output:',
        indented(failure.output),
      ].join('\n'),
    );
    this.command = failure.command;
    this.cwd = failure.cwd;
    this.database = failure.database;
    this.output = failure.output;
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/** The migration command does not exist (not on PATH, or the shell said "not found"). */
export class MigrationCommandNotFoundError extends MigrationCommandError {
  constructor(failure: CommandFailure, exitCode: number | null) {
    super(failure, exitCode, null, {
      code: 'MIGRATION_COMMAND_NOT_FOUND',
      headline: `Migration command \`${failure.command}\` was not found (cwd ${failure.cwd}).`,
      advice:
        'Install the tool (e.g. npm install --save-dev <tool>), run it through npx, or give the path of its executable.',
    });
  }
}

/** The migration command did not exit within `timeoutMs`; it was killed with its process group. */
export class MigrationCommandTimeoutError extends MigrationCommandError {
  readonly timeoutMs: number;

  constructor(failure: CommandFailure, timeoutMs: number, signal: string | null) {
    super(failure, null, signal, {
      code: 'MIGRATION_COMMAND_TIMEOUT',
      headline:
        `Migration command \`${failure.command}\` did not exit within ${timeoutMs} ms while migrating database ` +
        `${failure.database} (cwd ${failure.cwd}); it was killed with every process it started.`,
      advice:
        'Is it waiting for input (a prompt) or for a database it cannot reach? Raise timeoutMs if it is only slow.',
    });
    this.timeoutMs = timeoutMs;
  }
}
