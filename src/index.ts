/**
 * timescale-testkit: real, isolated TimescaleDB + pgvector databases for tests.
 *
 * This entry point holds what a test suite needs by name: the container, the template and its
 * clones, migrations, the factory engine and `createFactories`, the configuration helper and
 * every error. The runner integrations have their own entry points
 * (`timescale-testkit/vitest`, `/jest`, `/node-test`), and so does the trading domain
 * (`timescale-testkit/domain`: every factory, row type and constant of the reference schema).
 *
 * @packageDocumentation
 */

// configuration
export { defineConfig, type TestkitConfig } from './config/index.js';
// connections and the server
export { type DatabaseHandle, type ServerExit, ServerGoneError, type SqlTarget } from './connection/index.js';
// the container
export {
  DockerUnavailableError,
  type KitContainer,
  LockTimeoutError,
  listContainers,
  type PoolSize,
  PortTakenError,
  type PrunedContainer,
  type PruneOptions,
  pruneContainers,
  type RouteKind,
  type StartedTimescale,
  StartupTimeoutError,
  type StopOptions,
  startTimescale,
  TimescaleContainer,
  type TimescaleEdition,
  type TimescaleOptions,
} from './container/index.js';
export { ExtensionMissingError } from './contract/index.js';
// the domain's door, kept at the root because every test suite starts with it
export { type CreateFactoriesOptions, createFactories, type Factories } from './domain/index.js';
export { TimescaleTestkitError } from './errors/index.js';
// the factory engine
export {
  type BelongsToOptions,
  type Bound,
  type BuildContext,
  type BuildOptions,
  belongsTo,
  type CreateContext,
  type CreateOptions,
  decimal,
  defineFactory,
  Factory,
  type FactoryConfig,
  FactoryError,
  FactoryInsertError,
  type FactorySpec,
  FactoryValidationError,
  type ListOverrides,
  type Overrides,
  type Trait,
} from './factories/index.js';
export { DEFAULT_IMAGE, ImageChoiceError, officialImage, type PostgresMajor } from './image/index.js';
// isolation: the template, its clones, truncation
export {
  ClientNotReleasedError,
  CloneError,
  createTemplate,
  type IsolatedDatabase,
  type IsolationMode,
  Template,
  type TemplateOptions,
  type TestDatabase,
  TestEndedError,
  type TestTransaction,
  TransactionModeError,
  type TruncateOptions,
  type TruncateResult,
  truncateAll,
  UnsafeDatabaseError,
} from './isolation/index.js';
// migrations
export {
  type CommandMigratorOptions,
  commandMigrator,
  type FolderMigrator,
  type FunctionMigratorOptions,
  folderMigrator,
  functionMigrator,
  type MigrateOptions,
  MigrationChecksumError,
  MigrationCommandError,
  MigrationCommandNotFoundError,
  MigrationCommandTimeoutError,
  MigrationError,
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
