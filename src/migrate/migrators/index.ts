export { type CommandMigratorOptions, commandMigrator } from './command.js';
export { MigrationCommandError, MigrationCommandNotFoundError, MigrationCommandTimeoutError } from './errors.js';
export { type FolderMigrator, folderMigrator } from './folder.js';
export { type FunctionMigratorOptions, functionMigrator } from './function.js';
export { isMigrationReport, isMigrator, type MigrationsSource, migratorHash, toMigrator } from './resolve.js';
export type { Migrator } from './types.js';
