import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PoolSize, PostgresMajor, TimescaleOptions } from '../container/index.js';
import { BUILD_FORMAT, envFlag } from '../env/index.js';
import { ConfigError } from '../errors/index.js';
import { ISOLATION_MODES, type IsolationMode } from '../isolation/index.js';
import { type MigrationFormat, type Migrator, toMigrator } from '../migrate/index.js';

/** Options of the vitest and jest integrations (file `timescale-testkit.config.*` or inline). */
export interface TestkitConfig {
  /**
   * What builds the schema: a migrations folder, relative to the project root (default
   * `./migrations`), or a {@link Migrator} (`commandMigrator(...)`, `functionMigrator(...)`,
   * `folderMigrator(...)`, your own). A Migrator goes in `timescale-testkit.config.ts`: inline
   * options of vitest (`provide`) and jest (`globals`) must be serialisable.
   */
  migrations?: string | Migrator;
  /** Migrations format of a folder (default `auto`). */
  format?: MigrationFormat | 'auto';
  /** With a folder: a glob that picks one file per migration folder, e.g. `'*\/postgres.sql'`. */
  files?: string;
  /** Use this server instead of starting a container (env `TIMESCALE_TESTKIT_URL`). */
  url?: string;
  /** Container image (env `TIMESCALE_TESTKIT_IMAGE` wins over it). */
  image?: string;
  /** PostgreSQL major of the official image: 16, 17 (default) or 18 (an image name wins). */
  postgres?: PostgresMajor;
  /** The `timescale/timescaledb-ha` image (pgvectorscale) for `postgres` (an image name wins). */
  ha?: boolean;
  /** No startup line from the global setup (env `TIMESCALE_TESTKIT_QUIET=1`). */
  quiet?: boolean;
  /** Keep the container across runs (env `TIMESCALE_TESTKIT_REUSE=1`). */
  reuse?: boolean;
  /** Per-test isolation (env `TIMESCALE_TESTKIT_ISOLATION`, default `transaction`). */
  isolation?: IsolationMode;
  /** Clones the run keeps waiting for its workers (default: two per worker). */
  shared?: number;
  /** Clones each worker process makes ahead for itself (default 0; useful with `isolate: false`). */
  prepared?: number;
  /** Pool sizes of the test databases' pools. */
  pool?: PoolSize;
  /** Keep the database of a failed test and print its URL (env `TIMESCALE_TESTKIT_KEEP_FAILED=1`). */
  keepFailed?: boolean;
  /** Factories seed (env `TIMESCALE_TESTKIT_SEED`; default: fixed per test). */
  seed?: number;
  /** Further container options. */
  container?: TimescaleOptions;
}

export interface ResolvedTestkitConfig {
  /** The migrations folder (absolute), or the configured {@link Migrator}. */
  migrations: string | Migrator;
  format: MigrationFormat | 'auto';
  files: string | undefined;
  url: string | undefined;
  isolation: IsolationMode;
  shared: number | undefined;
  prepared: number;
  pool: PoolSize;
  keepFailed: boolean;
  seed: number | undefined;
  quiet: boolean;
  container: TimescaleOptions;
}

export { ConfigError };

export const CONFIG_FILES = [
  'timescale-testkit.config.ts',
  'timescale-testkit.config.mts',
  'timescale-testkit.config.mjs',
  'timescale-testkit.config.js',
  'timescale-testkit.config.cjs',
  'timescale-testkit.config.json',
] as const;

async function readConfigFile(root: string): Promise<{ file: string; config: TestkitConfig } | undefined> {
  for (const name of CONFIG_FILES) {
    const file = join(root, name);
    if (!existsSync(file)) continue;
    if (name.endsWith('.json')) return { file, config: JSON.parse(await readFile(file, 'utf8')) as TestkitConfig };
    // the CommonJS build's bundler turns import() into require(), which takes a path, not a URL
    // (and loads ES modules and TypeScript on the Node versions the kit supports)
    const specifier = BUILD_FORMAT === 'cjs' ? file : pathToFileURL(file).href;
    const loaded = (await import(specifier)) as { default?: TestkitConfig };
    return { file, config: loaded.default ?? (loaded as TestkitConfig) };
  }
  return undefined;
}

/**
 * Merges, lowest first: defaults, the config file, inline options, environment variables.
 * A missing migrations folder is a {@link ConfigError} unless `requireMigrations` is false.
 */
export async function loadConfig(
  root: string,
  inline: TestkitConfig = {},
  { requireMigrations = true }: { requireMigrations?: boolean } = {},
): Promise<ResolvedTestkitConfig> {
  const fromFile = await readConfigFile(root);
  const merged: TestkitConfig = { ...fromFile?.config, ...inline };
  const env = process.env;
  const isolation = (env.TIMESCALE_TESTKIT_ISOLATION ?? merged.isolation ?? 'transaction') as IsolationMode;
  if (!ISOLATION_MODES.includes(isolation)) {
    throw new ConfigError(`isolation must be one of ${ISOLATION_MODES.join(', ')}; got "${isolation}"`);
  }
  const where = `\`migrations\` in ${fromFile?.file ?? 'the inline options'}`;
  const configured: unknown = env.TIMESCALE_TESTKIT_MIGRATIONS ?? merged.migrations ?? './migrations';
  let migrations: string | Migrator;
  if (typeof configured === 'string') {
    migrations = isAbsolute(configured) ? configured : resolve(root, configured);
    if (requireMigrations && !existsSync(migrations)) {
      throw new ConfigError(
        `migrations folder ${migrations} does not exist (set \`migrations\` in ${fromFile?.file ?? 'timescale-testkit.config.ts'} or TIMESCALE_TESTKIT_MIGRATIONS)`,
      );
    }
  } else {
    const folder = configured as { dir?: unknown };
    migrations = toMigrator(
      typeof folder?.dir === 'string' && !isAbsolute(folder.dir)
        ? { ...folder, dir: resolve(root, folder.dir) }
        : configured,
      where,
    );
  }
  const seed = env.TIMESCALE_TESTKIT_SEED !== undefined ? Number(env.TIMESCALE_TESTKIT_SEED) : merged.seed;
  const reuse = envFlag('TIMESCALE_TESTKIT_REUSE') ?? merged.reuse;
  return {
    migrations,
    format: merged.format ?? 'auto',
    files: merged.files,
    url: env.TIMESCALE_TESTKIT_URL ?? merged.url,
    isolation,
    shared: merged.shared,
    prepared: merged.prepared ?? 0,
    pool: merged.pool ?? {},
    keepFailed: envFlag('TIMESCALE_TESTKIT_KEEP_FAILED') ?? merged.keepFailed ?? false,
    seed,
    quiet: envFlag('TIMESCALE_TESTKIT_QUIET') ?? merged.quiet ?? false,
    container: {
      ...merged.container,
      ...(merged.image && !env.TIMESCALE_TESTKIT_IMAGE ? { image: merged.image } : {}),
      ...(merged.postgres !== undefined ? { postgres: merged.postgres } : {}),
      ...(merged.ha !== undefined ? { ha: merged.ha } : {}),
      ...(reuse !== undefined ? { reuse } : {}),
    },
  };
}

/**
 * Identity helper that type-checks a config file.
 *
 * @example
 * ```ts
 * // timescale-testkit.config.ts
 * export default defineConfig({ migrations: './db/migrations', isolation: 'transaction', keepFailed: true })
 * ```
 */
export function defineConfig(config: TestkitConfig): TestkitConfig {
  return config;
}
