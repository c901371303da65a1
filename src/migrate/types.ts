/** The migration folder layouts the runner understands. */
export type MigrationFormat = 'plain' | 'golang-migrate' | 'dbmate' | 'goose' | 'flyway' | 'prisma' | 'drizzle';

export const MIGRATION_FORMATS: readonly MigrationFormat[] = [
  'plain',
  'golang-migrate',
  'dbmate',
  'goose',
  'flyway',
  'prisma',
  'drizzle',
];

/** Default name of the ledger table that records applied migrations. */
export const DEFAULT_MIGRATIONS_TABLE = 'timescale_testkit_migrations';

export interface MigrateOptions {
  /** The migrations folder. */
  dir: string;
  /** Folder layout; `'auto'` (default) detects it and refuses an ambiguous folder. */
  format?: MigrationFormat | 'auto';
  /**
   * A glob relative to the folder that picks the migration files, e.g. `'*\/postgres.sql'` (the
   * backslash only escapes this comment): one file per migration folder, for layouts with a file
   * per engine; the folder's name is the migration's version and name. Default: the format's own.
   */
  files?: string;
  /** Ledger table name. Default {@link DEFAULT_MIGRATIONS_TABLE}. */
  table?: string;
  /** Schema of the ledger table (created when missing). Default `public`. */
  schema?: string;
  /** How long to wait for another runner's advisory lock. Default 120 000 ms. */
  lockTimeoutMs?: number;
  /** Apply a new migration that sorts before the last applied one instead of refusing it. */
  allowOutOfOrder?: boolean;
}

export interface AppliedMigration {
  version: string;
  name: string;
  /** Wall time of the migration's statements, in milliseconds. */
  ms: number;
  /** What the runner decided on the migration's behalf (e.g. ran without a transaction). */
  notes: string[];
}

export interface MigrationReport {
  format: MigrationFormat;
  /** {@link hashMigrations} of the folder. */
  hash: string;
  applied: AppliedMigration[];
  /** Versions already recorded in the ledger with an unchanged checksum. */
  skipped: string[];
  totalMs: number;
}

/** A piece of a migration file to execute; `split` pieces are cut into statements. */
export interface Chunk {
  text: string;
  /** Offset of `text` in the file. */
  offset: number;
  split: boolean;
}

/** One migration as read from the folder, before execution. */
export interface LoadedMigration {
  /** Ledger key. */
  version: string;
  name: string;
  /** Path of the file relative to the folder. */
  file: string;
  /** Absolute (or as given) path of the file, used in errors. */
  path: string;
  content: string;
  /** sha256 (hex) of the file's bytes. */
  checksum: string;
  /** Flyway `R__` migrations: re-applied when their checksum changes, after the versioned ones. */
  repeatable: boolean;
  /** Null when the migration runs in a transaction, else the directive that turned it off. */
  noTransaction: string | null;
  chunks: Chunk[];
}

export interface MigrationPlan {
  format: MigrationFormat;
  dir: string;
  migrations: LoadedMigration[];
}
