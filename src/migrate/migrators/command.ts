import { ConfigError } from '../../errors/index.js';
import {
  type CommandFailure,
  MigrationCommandError,
  MigrationCommandNotFoundError,
  MigrationCommandTimeoutError,
} from './errors.js';
import { hashInputs, patternList } from './files.js';
import { runCommand } from './process.js';
import type { Migrator } from './types.js';

const DEFAULT_TIMEOUT_MS = 300_000;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface CommandMigratorOptions {
  /**
   * The migration tool's command line. An argument list (`['npx', 'knex', 'migrate:latest']`) runs
   * without a shell; a string (`'npx knex migrate:latest --env test'`) runs through the shell
   * (`shell: true`), so quoting, `&&` and variables work as in a terminal.
   */
  command: string | readonly string[];
  /**
   * Glob(s), relative to `cwd`, of every file that decides the schema (migrations, the tool's
   * config, a schema file); a folder stands for all files under it. Their paths and contents,
   * with the command, make the hash. Each glob must match a file.
   */
  files: string | readonly string[];
  /** Further environment variables for the command (on top of this process's environment). */
  env?: Readonly<Record<string, string>>;
  /**
   * The variable(s) that receive the database URL (default `DATABASE_URL`). libpq's `PGHOST`,
   * `PGPORT`, `PGUSER`, `PGPASSWORD` and `PGDATABASE` are always set to the same database.
   */
  urlEnv?: string | readonly string[];
  /** Working directory of the command and base of `files` (default: the current directory). */
  cwd?: string;
  /** How long the command may run before it is killed with its process group (default 300 000 ms). */
  timeoutMs?: number;
  /** Anything else that should change the hash (a tool version, a flag read from the environment). */
  hashExtra?: string;
}

function shown(command: string | readonly string[]): string {
  if (typeof command === 'string') return command;
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

function validate(options: CommandMigratorOptions): { files: string[]; urlEnv: string[] } {
  const who = 'commandMigrator';
  const { command } = options as { command?: unknown };
  const validCommand =
    (typeof command === 'string' && command.trim() !== '') ||
    (Array.isArray(command) &&
      command.length > 0 &&
      command.every((arg) => typeof arg === 'string') &&
      command[0] !== '');
  if (!validCommand) {
    throw new ConfigError(
      `${who}: command is missing or empty: give an argument list (['npx', 'knex', 'migrate:latest']) or a shell ` +
        `string ('npx knex migrate:latest'); got ${JSON.stringify(command)}`,
    );
  }
  const urlEnv = options.urlEnv === undefined ? ['DATABASE_URL'] : [options.urlEnv].flat();
  if (urlEnv.length === 0 || !urlEnv.every((name) => typeof name === 'string' && ENV_NAME.test(name))) {
    throw new ConfigError(
      `${who}: urlEnv must name environment variables, e.g. 'DATABASE_URL'; got ${JSON.stringify(options.urlEnv)}`,
    );
  }
  const timeout = options.timeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new ConfigError(`${who}: timeoutMs must be a positive number of milliseconds; got ${String(timeout)}`);
  }
  return { files: patternList(who, options.files), urlEnv };
}

/** The environment the command sees: this process's, the given one, then the database's. */
export function commandEnv(url: string, urlEnv: readonly string[], extra: Readonly<Record<string, string>> = {}) {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    PGHOST: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    PGPORT: parsed.port || '5432',
    PGUSER: decodeURIComponent(parsed.username),
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
  };
  for (const name of urlEnv) env[name] = url;
  return env;
}

/**
 * A {@link Migrator} that runs any migration CLI (node-pg-migrate, knex, drizzle-kit, Prisma,
 * TypeORM, sequelize-cli, dbmate, ...) with the database's URL in its environment. Its hash is
 * the command plus the paths and contents of the `files` globs. A command that exits non-zero is
 * a {@link MigrationCommandError} carrying its output; one that is not found a
 * {@link MigrationCommandNotFoundError}; one still running after `timeoutMs` is killed (with
 * everything it started) and is a {@link MigrationCommandTimeoutError}.
 *
 * @example
 * ```ts
 * commandMigrator({ command: ['npx', 'node-pg-migrate', 'up'], files: 'migrations' })
 * ```
 */
export function commandMigrator(options: CommandMigratorOptions): Migrator {
  const { files, urlEnv } = validate(options);
  const cwd = options.cwd ?? process.cwd();
  const command = shown(options.command);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: `command ${command}`,
    hash: () =>
      hashInputs(
        'commandMigrator',
        ['timescale-testkit command migrator v1', JSON.stringify(options.command), options.hashExtra ?? ''],
        files,
        cwd,
      ),
    async migrate(connectionString) {
      const result = await runCommand({
        command: options.command,
        cwd,
        env: commandEnv(connectionString, urlEnv, options.env),
        timeoutMs,
      });
      const database = decodeURIComponent(new URL(connectionString).pathname.slice(1));
      const failure: CommandFailure = { command, cwd, database, output: result.output };
      if (result.kind === 'not-found') throw new MigrationCommandNotFoundError(failure, null);
      if (result.kind === 'timeout') throw new MigrationCommandTimeoutError(failure, timeoutMs, result.signal);
      if (result.exitCode === 0) return;
      // a shell reports a command it cannot find with 127
      if (result.exitCode === 127 && typeof options.command === 'string') {
        throw new MigrationCommandNotFoundError(failure, 127);
      }
      throw new MigrationCommandError(failure, result.exitCode, result.signal);
    },
  };
}
