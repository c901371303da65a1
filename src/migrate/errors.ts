import { TimescaleTestkitError } from '../errors/index.js';

export interface MigrationErrorDetails {
  file: string;
  version: string;
  line: number;
  column: number;
  excerpt: string;
  statement: string;
  pgCode?: string;
  pgMessage: string;
  pgDetail?: string;
  pgHint?: string;
  /** Lines of the statements that ran before the failure and stayed applied (no transaction). */
  leftApplied?: readonly number[];
}

/** A migration's statement failed; the migration was rolled back (unless it ran without a transaction). */
export class MigrationError extends TimescaleTestkitError {
  readonly file: string;
  readonly version: string;
  /** 1-based line of the error in the file (the statement's start when Postgres gives no position). */
  readonly line: number;
  /** 1-based column of the error in the file. */
  readonly column: number;
  /** The file's lines around the error, numbered, with a caret under the column. */
  readonly excerpt: string;
  /** The statement that failed, as sent. */
  readonly statement: string;
  readonly pgCode?: string;
  readonly pgMessage: string;
  readonly pgDetail?: string;
  readonly pgHint?: string;
  /**
   * Lines (in the file) of the statements that ran before the failing one and stayed applied:
   * empty unless the migration ran without a transaction.
   */
  readonly leftApplied: readonly number[];

  constructor(
    details: MigrationErrorDetails,
    options?: { cause?: unknown; code?: string; headline?: string; advice?: string },
  ) {
    const where = `${details.file}:${details.line}:${details.column}`;
    const code = details.pgCode ? ` (SQLSTATE ${details.pgCode})` : '';
    const lines = [
      options?.headline ?? `Migration ${where} failed: ${details.pgMessage}${code}`,
      ...(options?.headline ? [`at ${where}: ${details.pgMessage}${code}`] : []),
      ...(details.pgDetail ? [`DETAIL: ${details.pgDetail}`] : []),
      ...(details.pgHint ? [`HINT: ${details.pgHint}`] : []),
      ...(options?.advice ? [options.advice] : []),
      details.excerpt,
    ];
    super(options?.code ?? 'MIGRATION_FAILED', lines.join('\n'), { cause: options?.cause });
    this.file = details.file;
    this.version = details.version;
    this.line = details.line;
    this.column = details.column;
    this.excerpt = details.excerpt;
    this.statement = details.statement;
    if (details.pgCode !== undefined) this.pgCode = details.pgCode;
    this.pgMessage = details.pgMessage;
    if (details.pgDetail !== undefined) this.pgDetail = details.pgDetail;
    if (details.pgHint !== undefined) this.pgHint = details.pgHint;
    this.leftApplied = details.leftApplied ?? [];
  }
}

/**
 * The server runs TimescaleDB's Apache edition, which refuses the community-licensed feature a
 * migration used (retention, compression, continuous aggregates, other TSL functions).
 */
export class MigrationLicenseError extends MigrationError {
  /** The refused feature, e.g. `retention policies` or `the TSL function locf()`. */
  readonly feature: string;

  constructor(details: MigrationErrorDetails, image: string, feature: string, cause?: unknown, advice?: string) {
    super(details, {
      cause,
      ...(advice ? { advice } : {}),
      code: 'MIGRATION_APACHE_LICENSE',
      headline:
        `Migration ${details.file} uses ${feature}, which the server's TimescaleDB refuses: it runs the Apache ` +
        "edition (SHOW timescaledb.license = apache), as images built from Debian's packages do. Use an image " +
        `with the community edition, e.g. ${image} (set TIMESCALE_TESTKIT_IMAGE), or leave those statements out ` +
        'of the migrations used in tests.',
    });
    this.feature = feature;
  }
}

/** A statement used a function, type or setting of an extension the database does not have. */
export class MigrationExtensionError extends MigrationError {
  /** The extension the failing statement needs, e.g. `timescaledb` or `vector`. */
  readonly extension: string;

  constructor(details: MigrationErrorDetails, extension: string, advice: string, cause?: unknown) {
    super(details, {
      cause,
      advice,
      code: 'MIGRATION_EXTENSION_MISSING',
      headline: `Migration ${details.file} needs the extension "${extension}".`,
    });
    this.extension = extension;
  }
}

/** An applied migration's file changed after it was applied. */
export class MigrationChecksumError extends TimescaleTestkitError {
  readonly file: string;
  readonly version: string;
  readonly expected: string;
  readonly actual: string;

  constructor(file: string, version: string, expected: string, actual: string) {
    super(
      'MIGRATION_CHECKSUM_MISMATCH',
      `Migration ${file} (version ${version}) was changed after it was applied: its checksum is ${actual.slice(0, 12)}..., ` +
        `the ledger recorded ${expected.slice(0, 12)}.... Add a new migration instead of editing an applied one, ` +
        'or recreate the database.',
    );
    this.file = file;
    this.version = version;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A new migration sorts before the last applied one. */
export class MigrationOrderError extends TimescaleTestkitError {
  readonly file: string;
  readonly version: string;
  readonly lastApplied: string;

  constructor(file: string, version: string, lastApplied: string) {
    super(
      'MIGRATION_OUT_OF_ORDER',
      `Migration ${file} (version ${version}) is new but sorts before the last applied migration ${lastApplied}. ` +
        'Rename it so it sorts last, or pass allowOutOfOrder: true to apply it anyway.',
    );
    this.file = file;
    this.version = version;
    this.lastApplied = lastApplied;
  }
}

const SHOWN = 20;

/** What a format error saw, as listed: the first 20 entries, then "... and N more". */
function sawLines(seen: readonly string[]): string[] {
  const shown = seen.slice(0, SHOWN);
  return seen.length > SHOWN ? [...shown, `... and ${seen.length - SHOWN} more`] : shown;
}

/** The folder is missing, empty, ambiguous, or breaks its format's rules. */
export class MigrationFormatError extends TimescaleTestkitError {
  readonly dir: string;
  /** What the runner saw: detected formats with example files, or the offending files (all of them). */
  readonly seen: string[];
  /** What to do about it, when the runner can tell. */
  readonly fix: string | undefined;
  /** `seen` as the message lists it: the first 20 entries, then `... and N more`. */
  readonly listed: string[];

  constructor(dir: string, problem: string, seen: string[] = [], fix?: string) {
    const listed = sawLines(seen);
    const listing = listed.length > 0 ? `\nSaw:\n${listed.map((item) => `  - ${item}`).join('\n')}` : '';
    super('MIGRATION_FORMAT', `Migrations folder ${dir}: ${problem}${fix ? `\nFix: ${fix}` : ''}${listing}`);
    this.dir = dir;
    this.seen = seen;
    this.fix = fix;
    this.listed = listed;
  }
}

/** Another runner held the migration lock longer than `lockTimeoutMs`. */
export class MigrationLockError extends TimescaleTestkitError {
  readonly timeoutMs: number;

  constructor(lock: string, timeoutMs: number, cause?: unknown) {
    super(
      'MIGRATION_LOCK_TIMEOUT',
      `Timed out after ${timeoutMs} ms waiting for the migration lock on ${lock}: another runner is still migrating ` +
        'this database (or died holding its session). Raise lockTimeoutMs, or find the session in pg_stat_activity.',
      { cause },
    );
    this.timeoutMs = timeoutMs;
  }
}
