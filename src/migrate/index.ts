export {
  MigrationChecksumError,
  MigrationError,
  type MigrationErrorDetails,
  MigrationExtensionError,
  MigrationFormatError,
  MigrationLicenseError,
  MigrationLockError,
  MigrationOrderError,
} from './errors.js';
export { hashMigrations, inspectMigrations } from './hash.js';
export {
  type CommandMigratorOptions,
  commandMigrator,
  type FolderMigrator,
  type FunctionMigratorOptions,
  folderMigrator,
  functionMigrator,
  isMigrationReport,
  isMigrator,
  MigrationCommandError,
  MigrationCommandNotFoundError,
  MigrationCommandTimeoutError,
  type MigrationsSource,
  type Migrator,
  migratorHash,
  toMigrator,
} from './migrators/index.js';
export { migrate } from './runner.js';
export {
  type AppliedMigration,
  DEFAULT_MIGRATIONS_TABLE,
  MIGRATION_FORMATS,
  type MigrateOptions,
  type MigrationFormat,
  type MigrationReport,
} from './types.js';
export { stopBackgroundWorkers } from './workers.js';
