import { ConfigError } from '../../errors/index.js';
import { hashMigrations } from '../hash.js';
import { migrate } from '../runner.js';
import type { MigrateOptions, MigrationReport } from '../types.js';
import type { Migrator } from './types.js';

/** The folder runner as a {@link Migrator}; its `migrate` also returns the run's report. */
export interface FolderMigrator extends Migrator {
  readonly options: Readonly<MigrateOptions>;
  migrate(connectionString: string): Promise<MigrationReport>;
}

/**
 * A migrations folder (plain, golang-migrate, dbmate, goose, Flyway, Prisma, drizzle) as a
 * {@link Migrator}: its hash is {@link hashMigrations}, its `migrate` the kit's runner.
 *
 * @example
 * ```ts
 * folderMigrator({ dir: './db/migrations', files: '*\/postgres.sql' })
 * ```
 */
export function folderMigrator(options: MigrateOptions | string): FolderMigrator {
  const resolved: MigrateOptions = typeof options === 'string' ? { dir: options } : { ...options };
  if (typeof resolved.dir !== 'string' || resolved.dir === '') {
    throw new ConfigError(
      `folderMigrator: dir is missing: give the migrations folder, e.g. { dir: './migrations' }; got ${JSON.stringify(options)}`,
    );
  }
  const { dir, format = 'auto', files } = resolved;
  return {
    name: `folder ${dir}${files ? ` (files ${files})` : ''}`,
    options: resolved,
    hash: () => hashMigrations(dir, { format, ...(files === undefined ? {} : { files }) }),
    migrate: (connectionString) => migrate(connectionString, resolved),
  };
}
