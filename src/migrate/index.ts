export {
  MigrationChecksumError,
  MigrationError,
  type MigrationErrorDetails,
  MigrationFormatError,
  MigrationLicenseError,
  MigrationLockError,
  MigrationOrderError,
} from './errors.js';
export { hashMigrations, inspectMigrations } from './hash.js';
export { migrate } from './runner.js';
export type { MigrationTarget } from './session.js';
export {
  type AppliedMigration,
  DEFAULT_MIGRATIONS_TABLE,
  MIGRATION_FORMATS,
  type MigrateOptions,
  type MigrationFormat,
  type MigrationReport,
} from './types.js';
