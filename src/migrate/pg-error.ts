import { DEFAULT_IMAGE } from '../image/index.js';
import type { Statement } from '../sql/index.js';
import {
  MigrationError,
  type MigrationErrorDetails,
  MigrationExtensionError,
  MigrationLicenseError,
} from './errors.js';
import { type ExtensionState, extensionAdvice } from './extensions.js';
import { isApacheRefusal, refusedFeature } from './license.js';
import { excerptAt, lineColumn, positionToIndex } from './location.js';
import type { LoadedMigration } from './types.js';

interface PgErrorFields {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

/** What the runner knows about the failure beyond Postgres's error. */
export interface FailureContext {
  /** Whether the migration ran in the runner's transaction (then nothing of it stayed). */
  inTransaction: boolean;
  /** Why it ran without one, e.g. `-- timescale-testkit:no-transaction`. */
  reason?: string;
  /** Statements that ran before the failing one and stayed applied. */
  leftApplied: readonly Statement[];
  /** The server's encoding (`SHOW server_encoding`), which decides how error positions count. */
  serverEncoding?: string;
  /** The extension the failing statement needs, and where it stands in the database. */
  extension?: { name: string; state: ExtensionState | undefined };
}

const NO_TRANSACTION_ADVICE =
  'Run this migration without a transaction: add the line "-- timescale-testkit:no-transaction" ' +
  '(or the format\'s own directive: dbmate "-- migrate:up transaction:false", goose "-- +goose NO TRANSACTION").';

/** SQLSTATEs of "already exists": what a rerun meets after a partial run left objects behind. */
const DUPLICATE = new Set(['42P07', '42710', '42P06', '42723', '42701', '42P04', '42P16']);

export function errorFields(error: unknown): PgErrorFields {
  return typeof error === 'object' && error !== null ? (error as PgErrorFields) : { message: String(error) };
}

function plural(lines: readonly number[]): string {
  return lines.length === 1 ? `the statement at line ${lines[0]}` : `the statements at lines ${lines.join(', ')}`;
}

function partialAdvice(fields: PgErrorFields, context: FailureContext, lines: readonly number[]): string[] {
  if (context.inTransaction) return [];
  const why = context.reason ? ` (${context.reason})` : '';
  const advice =
    lines.length > 0
      ? [
          `The migration ran without a transaction${why}: ${plural(lines)} stayed applied, and the ledger does not ` +
            'list the migration; undo them (or recreate the database) before running it again.',
        ]
      : [`The migration ran without a transaction${why}; no statement of it ran before this one.`];
  if (fields.code && DUPLICATE.has(fields.code)) {
    advice.push(
      'Because it runs without a transaction, an earlier run that failed part-way may have left its first statements ' +
        'applied (the ledger lists only finished migrations): drop what they created, or recreate the database, and run again.',
    );
  }
  return advice;
}

/** A failed statement's error, placed in its file (line, column, excerpt) and explained. */
export function migrationError(
  error: unknown,
  migration: LoadedMigration,
  statement: Statement,
  context: FailureContext,
): MigrationError {
  const fields = errorFields(error);
  const position = Number(fields.position);
  const offset =
    statement.offset +
    (Number.isInteger(position) && position > 0
      ? positionToIndex(statement.text, position, context.serverEncoding)
      : 0);
  const { line, column } = lineColumn(migration.content, offset);
  const leftApplied = context.inTransaction
    ? []
    : context.leftApplied.map((done) => lineColumn(migration.content, done.offset).line);
  const details: MigrationErrorDetails = {
    file: migration.path,
    version: migration.version,
    line,
    column,
    excerpt: excerptAt(migration.content, line, column),
    statement: statement.text,
    pgMessage: fields.message,
    leftApplied,
    ...(typeof fields.code === 'string' ? { pgCode: fields.code } : {}),
    ...(fields.detail ? { pgDetail: fields.detail } : {}),
    ...(fields.hint ? { pgHint: fields.hint } : {}),
  };
  const partial = partialAdvice(fields, context, leftApplied);
  if (isApacheRefusal(fields.message)) {
    const feature = refusedFeature(fields.message, statement.text);
    return new MigrationLicenseError(details, DEFAULT_IMAGE, feature, error, partial.join('\n') || undefined);
  }
  if (context.extension) {
    const advice = [extensionAdvice(context.extension.name, context.extension.state), ...partial].join('\n');
    return new MigrationExtensionError(details, context.extension.name, advice, error);
  }
  const encoding = context.serverEncoding?.toUpperCase();
  const advice = [
    fields.code === '25001' ? NO_TRANSACTION_ADVICE : undefined,
    fields.code === '22P05' && encoding && encoding !== 'UTF8'
      ? `The database's encoding is ${encoding}, which cannot hold a character of this statement: ` +
        "create the database WITH ENCODING 'UTF8' (or keep the migration to characters it can hold)."
      : undefined,
    ...partial,
  ].filter(Boolean);
  return new MigrationError(details, { cause: error, ...(advice.length > 0 ? { advice: advice.join('\n') } : {}) });
}
