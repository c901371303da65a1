import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import {
  MIGRATION_FORMATS,
  type MigrateOptions,
  type MigrationFormat,
  type MigrationReport,
  type Migrator,
  migrate,
  migratorHash,
} from '../migrate/index.js';
import { databaseUrl, parseCommand, wholeNumber } from './args.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { type CliIo, step } from './output.js';

export const MIGRATE_USAGE = `timescale-testkit migrate [options]

Applies a migrations folder to a database, once: a ledger table records what was applied.
When \`migrations\` in timescale-testkit.config.* is a migrator (commandMigrator, functionMigrator)
and --dir is not given, runs that migrator on the database instead.

Options:
  --dir DIR              migrations folder (default: \`migrations\` of timescale-testkit.config.*,
                         else TIMESCALE_TESTKIT_MIGRATIONS, else ./migrations)
  --url URL              database (default: TIMESCALE_TESTKIT_URL, else DATABASE_URL)
  --format FORMAT        auto (default), ${MIGRATION_FORMATS.join(', ')}
  --files PATTERN        pick one file per migration folder, e.g. '*/postgres.sql' (quote it)
  --table NAME           ledger table (default timescale_testkit_migrations)
  --schema NAME          schema of the ledger table (default public)
  --allow-out-of-order   apply a new migration that sorts before the last applied one
  --lock-timeout-ms N    wait at most N ms for another runner's lock (default 120000; 0 waits forever)
  -h, --help             this text

Exit codes: 0 applied (or nothing to do), 1 failed (the migration's file and line are named),
2 usage error.`;

/** The report as lines: what was applied (with times and notes), what was skipped, the total. */
export function formatReport(report: MigrationReport, dir: string): string[] {
  const lines = [`migrations ${dir} (${report.format}, hash ${report.hash.slice(0, 12)})`];
  for (const m of report.applied) {
    lines.push(`applied ${m.version} ${m.name === m.version ? '' : `${m.name} `}(${m.ms} ms)`);
    for (const note of m.notes) lines.push(`  note: ${note}`);
  }
  if (report.skipped.length > 0)
    lines.push(`skipped ${report.skipped.length} already applied: ${report.skipped.join(', ')}`);
  lines.push(
    report.applied.length === 0
      ? `nothing to apply (${report.totalMs} ms)`
      : `done: ${report.applied.length} applied, ${report.skipped.length} skipped in ${report.totalMs} ms`,
  );
  return lines;
}

/** One line for a progress step: `applied 4 migrations (hash 9f2c...)` or `migrations up to date`. */
export function summarize(report: MigrationReport): string {
  const hash = `${report.format}, hash ${report.hash.slice(0, 12)}`;
  return report.applied.length === 0
    ? `migrations up to date (${report.skipped.length} applied before; ${hash})`
    : `applied ${report.applied.length} migration(s) (${hash}; ${report.skipped.length} applied before)`;
}

export function formatOption(command: string, value: string | undefined): MigrationFormat | 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  if (!(MIGRATION_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`--format must be auto or one of ${MIGRATION_FORMATS.join(', ')}, got "${value}"`, command);
  }
  return value as MigrationFormat;
}

/** `timescale-testkit migrate`: applies a folder and prints the report. */
export async function migrateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand('migrate', argv, {
    dir: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string' },
    files: { type: 'string' },
    table: { type: 'string' },
    schema: { type: 'string' },
    'allow-out-of-order': { type: 'boolean' },
    'lock-timeout-ms': { type: 'string' },
  });
  const format = formatOption('migrate', values.format);
  const lockTimeoutMs =
    values['lock-timeout-ms'] === undefined
      ? undefined
      : wholeNumber('migrate', 'lock-timeout-ms', values['lock-timeout-ms'], 0);
  const config = await loadConfig(io.cwd, {}, { requireMigrations: false });
  const url = databaseUrl('migrate', values.url, config.url);
  if (values.dir === undefined && typeof config.migrations !== 'string') {
    const folderOnly = ['format', 'files', 'table', 'schema', 'allow-out-of-order', 'lock-timeout-ms'] as const;
    const given = folderOnly.filter((flag) => values[flag] !== undefined);
    if (given.length > 0) {
      throw new UsageError(
        `--${given[0]} applies to a migrations folder, and \`migrations\` in the config is a migrator; pass --dir DIR to apply a folder`,
        'migrate',
      );
    }
    return runMigrator(io, config.migrations, url);
  }
  const dir = values.dir === undefined ? (config.migrations as string) : resolve(io.cwd, values.dir);
  if (!existsSync(dir)) {
    if (values.dir !== undefined) throw new UsageError(`migrations folder ${dir} does not exist`, 'migrate');
    throw new CliError(
      `migrations folder ${dir} does not exist`,
      'pass --dir DIR, or set `migrations` in timescale-testkit.config.ts (or TIMESCALE_TESTKIT_MIGRATIONS)',
    );
  }
  const files = values.files ?? (values.dir === undefined ? config.files : undefined);
  const options: MigrateOptions = {
    dir,
    format: format ?? config.format,
    ...(files ? { files } : {}),
    ...(values.table ? { table: values.table } : {}),
    ...(values.schema ? { schema: values.schema } : {}),
    ...(values['allow-out-of-order'] ? { allowOutOfOrder: true } : {}),
    ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
  };
  const report = await step(io, summarize, () => migrate(url, options));
  for (const line of formatReport(report, dir)) io.out(line);
  return EXIT.ok;
}

/** Runs the config's migrator on the database (no ledger of the kit's: the tool keeps its own). */
async function runMigrator(io: CliIo, migrator: Migrator, url: string): Promise<number> {
  const name = migrator.name ?? 'the configured migrator';
  const hash = await migratorHash(migrator);
  await step(io, `migrated with ${name} (hash ${hash.slice(0, 12)})`, () => migrator.migrate(url));
  io.out(`migrated ${new URL(url).pathname.slice(1)} with ${name} (hash ${hash.slice(0, 12)})`);
  return EXIT.ok;
}
