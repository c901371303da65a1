import { ConfigError } from '../../errors/index.js';
import { hashInputs, patternList } from './files.js';
import type { Migrator } from './types.js';

export interface FunctionMigratorOptions {
  /** Applies the migrations to the database at `connectionString` (kysely's Migrator, umzug, a script). */
  migrate: (connectionString: string) => Promise<void> | void;
  /**
   * Glob(s), relative to `cwd`, of the files that decide the schema (the migration files, the
   * script); their paths and contents make the hash. Needed unless `hashExtra` is given.
   */
  files?: string | readonly string[];
  /** Anything else that should change the hash (a schema version, migrations kept in code). */
  hashExtra?: string;
  /** Base of `files` (default: the current directory). */
  cwd?: string;
  /** What it is, for messages (default `function`). */
  name?: string;
}

/**
 * A {@link Migrator} from a function: for programmatic tools (kysely's `Migrator`, umzug, a
 * team's own script) without a subprocess. Its hash is the `files` globs' paths and contents
 * plus `hashExtra`.
 *
 * @example
 * ```ts
 * functionMigrator({ files: 'src/migrations', migrate: async (url) => { await migrateToLatest(url) } })
 * ```
 */
export function functionMigrator(options: FunctionMigratorOptions): Migrator {
  const who = 'functionMigrator';
  if (typeof options?.migrate !== 'function') {
    throw new ConfigError(
      `${who}: migrate is missing: give an async function (connectionString) => { ... } that applies the migrations`,
    );
  }
  if (options.files === undefined && (options.hashExtra === undefined || options.hashExtra === '')) {
    throw new ConfigError(
      `${who}: files is missing: give the glob(s) of the files that decide the schema (or hashExtra, a version ` +
        'string that changes with it); without either the template would never be rebuilt',
    );
  }
  const files = options.files === undefined ? [] : patternList(who, options.files);
  const cwd = options.cwd ?? process.cwd();
  const run = options.migrate;
  return {
    name: options.name ?? 'function',
    hash: () => hashInputs(who, ['timescale-testkit function migrator v1', options.hashExtra ?? ''], files, cwd),
    migrate: async (connectionString) => {
      await run(connectionString);
    },
  };
}
