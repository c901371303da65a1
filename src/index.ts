export {
  ConfigError,
  defineConfig,
  loadConfig,
  type ResolvedTestkitConfig,
  type TestkitConfig,
} from './config/index.js';
export { type DatabaseHandle, type ServerExit, ServerGoneError, type SqlTarget } from './connection/index.js';
export * from './container/index.js';
export * from './domain/index.js';
export { TimescaleTestkitError } from './errors/index.js';
export * from './factories/index.js';
export * from './isolation/index.js';
export {
  type AppliedMigration,
  type CommandMigratorOptions,
  commandMigrator,
  DEFAULT_MIGRATIONS_TABLE,
  type FolderMigrator,
  type FunctionMigratorOptions,
  folderMigrator,
  functionMigrator,
  hashMigrations,
  MIGRATION_FORMATS,
  type MigrateOptions,
  MigrationChecksumError,
  MigrationCommandError,
  MigrationCommandNotFoundError,
  MigrationCommandTimeoutError,
  MigrationError,
  type MigrationErrorDetails,
  MigrationExtensionError,
  type MigrationFormat,
  MigrationFormatError,
  MigrationLicenseError,
  MigrationLockError,
  MigrationOrderError,
  type MigrationReport,
  type MigrationsSource,
  type Migrator,
  migrate,
} from './migrate/index.js';
