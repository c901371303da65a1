import { ConfigError } from '../config/index.js';
import { ServerGoneError } from '../connection/index.js';
import {
  DEFAULT_IMAGE,
  DockerUnavailableError,
  ExtensionMissingError,
  StartupTimeoutError,
} from '../container/index.js';
import { TimescaleTestkitError } from '../errors/index.js';
import { FactoryError, FactoryInsertError } from '../factories/index.js';
import {
  MigrationChecksumError,
  MigrationCommandError,
  MigrationCommandNotFoundError,
  MigrationCommandTimeoutError,
  MigrationError,
  MigrationExtensionError,
  MigrationFormatError,
  MigrationLicenseError,
  MigrationLockError,
  MigrationOrderError,
} from '../migrate/index.js';

/** Exit codes of `timescale-testkit`. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A failure the CLI itself detected, with its cause and fix already worded. */
export class CliError extends Error {
  readonly fix: string;
  readonly details: readonly string[];
  readonly exitCode: number;

  constructor(
    cause: string,
    fix: string,
    { details = [], exitCode = EXIT.failure }: { details?: readonly string[]; exitCode?: number } = {},
  ) {
    super(cause);
    this.name = 'CliError';
    this.fix = fix;
    this.details = details;
    this.exitCode = exitCode;
  }
}

/** The command line is wrong (unknown command or flag, bad value): exit code 2. */
export class UsageError extends CliError {
  constructor(cause: string, command?: string) {
    super(cause, `see \`timescale-testkit ${command ? `${command} ` : ''}--help\``, { exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

export interface Failure {
  cause: string;
  fix: string;
  /** Further lines (a migration's excerpt, a container's last log lines), printed indented. */
  details: readonly string[];
  exitCode: number;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const DATABASE_FIX =
  'check the URL (--url, TIMESCALE_TESTKIT_URL or DATABASE_URL) and that the server is running; `timescale-testkit up` starts one';

/** The first non-blank line, without a closing period. */
function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim().replace(/\.$/, '');
}

function field(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value: unknown = (error as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** A network error of pg (directly, or the first one of an AggregateError for several addresses). */
function connectionFailure(error: unknown): Failure | undefined {
  const first = error instanceof AggregateError ? (error.errors[0] as unknown) : error;
  const code = field(first, 'code');
  if (!code || !CONNECTION_CODES.has(code)) return undefined;
  const address = field(first, 'address') ?? field(first, 'hostname');
  const port = field(first, 'port');
  const where = address ? ` at ${address}${port ? `:${port}` : ''}` : '';
  return { cause: `cannot reach the database server${where} (${code})`, fix: DATABASE_FIX, details: [], exitCode: 1 };
}

function postgresFailure(error: unknown): Failure | undefined {
  const code = field(error, 'code');
  if (!code || !/^[0-9A-Z]{5}$/.test(code) || !(error instanceof Error)) return undefined;
  const cause = `${firstLine(error.message)} (SQLSTATE ${code})`;
  const fixes: Record<string, string> = {
    '28P01': 'check the user name and password in the URL',
    '28000': 'check the user name in the URL and the server’s pg_hba.conf',
    '3D000': 'create the database first, or fix the database name in the URL',
  };
  return { cause, fix: fixes[code] ?? DATABASE_FIX, details: [], exitCode: 1 };
}

/** The advice line of a missing extension's error (it says whether to create it, or where it is). */
function extensionFix(error: MigrationExtensionError): string {
  const advice = error.message
    .split('\n')
    .find((line) => line.startsWith('The extension') || line.startsWith('The server'));
  return advice ? advice.replace(/^The /, 'the ').replace(/\.$/, '') : `create the extension ${error.extension} first`;
}

function migrationFailure(error: MigrationError): Failure {
  const where = `${error.file}:${error.line}:${error.column}`;
  const sqlState = error.pgCode ? ` (SQLSTATE ${error.pgCode})` : '';
  const details = [
    ...(error.pgDetail ? [`DETAIL: ${error.pgDetail}`] : []),
    ...(error.pgHint ? [`HINT: ${error.pgHint}`] : []),
    ...error.excerpt.split('\n'),
  ];
  if (error instanceof MigrationLicenseError) {
    return {
      cause: `migration ${where} uses ${error.feature}, which the server's Apache edition refuses: ${error.pgMessage}`,
      fix: `use an image with the community edition (TIMESCALE_TESTKIT_IMAGE=${DEFAULT_IMAGE}, or --image), or leave those statements out`,
      details,
      exitCode: 1,
    };
  }
  if (error instanceof MigrationExtensionError) {
    return {
      cause: `migration ${where} needs the extension "${error.extension}": ${error.pgMessage}${sqlState}`,
      fix: extensionFix(error),
      details,
      exitCode: 1,
    };
  }
  const partial =
    error.leftApplied.length > 0
      ? `; it ran without a transaction: the statements at lines ${error.leftApplied.join(', ')} stayed applied, undo them first`
      : ' (the migration was rolled back unless it ran without a transaction)';
  return {
    cause: `migration ${where} failed: ${error.pgMessage}${sqlState}`,
    fix: `correct the statement at ${where} and run again${partial}`,
    details,
    exitCode: 1,
  };
}

/** A migration tool's command failed: its output (the end of it) goes in the details. */
function commandFailure(error: MigrationCommandError): Failure {
  const lines = error.output.trimEnd().split('\n');
  const details = lines.length > 40 ? ['...', ...lines.slice(-40)] : lines;
  const cause = firstLine(error.message);
  if (error instanceof MigrationCommandNotFoundError) {
    return {
      cause,
      fix: 'install the tool (npm install --save-dev <tool>) or correct the command',
      details,
      exitCode: 1,
    };
  }
  if (error instanceof MigrationCommandTimeoutError) {
    return {
      cause,
      fix: 'make the command run without prompts against DATABASE_URL, or raise its timeoutMs',
      details,
      exitCode: 1,
    };
  }
  return { cause, fix: 'correct what the tool’s output below names, then run again', details, exitCode: 1 };
}

function kitFailure(error: TimescaleTestkitError): Failure {
  const cause = firstLine(error.message);
  const failure = (fix: string, details: readonly string[] = []): Failure => ({ cause, fix, details, exitCode: 1 });
  if (error instanceof DockerUnavailableError) {
    return failure(
      'start Docker, or set DOCKER_HOST to a reachable engine, or set TIMESCALE_TESTKIT_URL to use an existing server',
    );
  }
  if (error instanceof ExtensionMissingError) {
    return {
      cause: `extension "${error.extension}" cannot be created in image ${error.image}`,
      fix: `use an image that ships it: set TIMESCALE_TESTKIT_IMAGE (or --image), e.g. ${DEFAULT_IMAGE}`,
      details: [],
      exitCode: 1,
    };
  }
  if (error instanceof StartupTimeoutError) {
    return failure(
      'check the container log below; raise container.startupTimeoutMs in timescale-testkit.config.ts if the machine is slow',
      error.logLines,
    );
  }
  if (error instanceof ServerGoneError) {
    return failure(error.fix, error.logLines);
  }
  if (error instanceof MigrationError) return migrationFailure(error);
  if (error instanceof MigrationCommandError) return commandFailure(error);
  if (error instanceof MigrationChecksumError) {
    return failure('add a new migration instead of editing an applied one, or recreate the database');
  }
  if (error instanceof MigrationOrderError) {
    return failure('rename the migration so it sorts last, or pass --allow-out-of-order');
  }
  if (error instanceof MigrationFormatError) {
    return failure(
      error.fix ?? 'point --dir at the migrations folder, or pass --format (see `timescale-testkit migrate --help`)',
      error.listed.map((seen) => `saw: ${seen}`),
    );
  }
  if (error instanceof MigrationLockError) {
    return failure('wait for the other runner, or end its session (see pg_stat_activity)');
  }
  if (error instanceof ConfigError) {
    return failure('correct timescale-testkit.config.* or the TIMESCALE_TESTKIT_* environment variables');
  }
  if (error instanceof FactoryInsertError && error.sqlState === '23505') {
    return failure('seed an empty database, or pass another --seed (the same seed makes the same keys)');
  }
  if (error instanceof FactoryError) {
    return failure(
      'seed writes the reference schema (fixtures/migrations): apply it first with `timescale-testkit migrate`',
    );
  }
  return failure('run again with DEBUG=timescale-testkit for details');
}

/** What went wrong, in one line, and what to do about it. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) {
    return { cause: error.message, fix: error.fix, details: error.details, exitCode: error.exitCode };
  }
  if (error instanceof TimescaleTestkitError) return kitFailure(error);
  const known = connectionFailure(error) ?? postgresFailure(error);
  if (known) return known;
  const message = error instanceof Error ? error.message || error.name : String(error);
  return {
    cause: firstLine(message),
    fix: 'run again with DEBUG=timescale-testkit for details, and report it if it persists',
    details: [],
    exitCode: 1,
  };
}

/** Prints `error: <cause>`, `fix: <what to do>` and indented details on stderr; returns the exit code. */
export function reportFailure(err: (line: string) => void, error: unknown): number {
  const failure = describeFailure(error);
  err(`error: ${failure.cause}`);
  err(`fix: ${failure.fix}`);
  for (const line of failure.details) err(`  ${line}`);
  return failure.exitCode;
}
