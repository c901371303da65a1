import { DEFAULT_IMAGE } from '../image.js';
import { MigrationError, type MigrationErrorDetails, MigrationLicenseError } from './errors.js';
import { excerptAt, lineColumn, positionToIndex } from './location.js';
import type { Statement } from './split.js';
import type { LoadedMigration } from './types.js';

interface PgErrorFields {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

const APACHE = /not supported under the current "?apache"? license/i;

const NO_TRANSACTION_ADVICE =
  'Run this migration without a transaction: add the line "-- timescale-testkit:no-transaction" ' +
  '(or the format\'s own directive: dbmate "-- migrate:up transaction:false", goose "-- +goose NO TRANSACTION").';

/** A failed statement's error, placed in its file: line, column and excerpt. */
export function migrationError(
  error: unknown,
  migration: LoadedMigration,
  statement: Statement,
  inTransaction: boolean,
): MigrationError {
  const fields: PgErrorFields =
    typeof error === 'object' && error !== null ? (error as PgErrorFields) : { message: String(error) };
  const position = Number(fields.position);
  const offset =
    statement.offset + (Number.isInteger(position) && position > 0 ? positionToIndex(statement.text, position) : 0);
  const { line, column } = lineColumn(migration.content, offset);
  const details: MigrationErrorDetails = {
    file: migration.path,
    version: migration.version,
    line,
    column,
    excerpt: excerptAt(migration.content, line, column),
    statement: statement.text,
    pgMessage: fields.message,
    ...(typeof fields.code === 'string' ? { pgCode: fields.code } : {}),
    ...(fields.detail ? { pgDetail: fields.detail } : {}),
    ...(fields.hint ? { pgHint: fields.hint } : {}),
  };
  const partial = inTransaction
    ? undefined
    : 'The migration ran without a transaction: its statements before this one stay applied; the ledger does not list it.';
  if (APACHE.test(fields.message)) return new MigrationLicenseError(details, DEFAULT_IMAGE, error, partial);
  const advice = [fields.code === '25001' ? NO_TRANSACTION_ADVICE : undefined, partial].filter(Boolean).join('\n');
  return new MigrationError(details, { cause: error, ...(advice ? { advice } : {}) });
}
