import { TimescaleTestkitError } from '../errors.js';
import { type MigrateOptions, type MigrationFormat, type MigrationReport, migrate } from '../migrate/index.js';

export interface MigrateCommandOptions {
  dir?: string;
  url?: string;
  format?: string;
  table?: string;
  schema?: string;
  allowOutOfOrder?: boolean;
}

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

/** `timescale-testkit migrate`: applies a folder and prints the report; 1 with the error's details on failure. */
export async function migrateCommand(options: MigrateCommandOptions, out: (line: string) => void): Promise<number> {
  const url = options.url ?? process.env.TIMESCALE_TESTKIT_URL ?? process.env.DATABASE_URL;
  if (!url) {
    out('migrate needs a database: pass --url, or set TIMESCALE_TESTKIT_URL or DATABASE_URL');
    return 1;
  }
  const dir = options.dir ?? './migrations';
  const migrateOptions: MigrateOptions = {
    dir,
    format: (options.format ?? 'auto') as MigrationFormat | 'auto',
    ...(options.table ? { table: options.table } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.allowOutOfOrder ? { allowOutOfOrder: true } : {}),
  };
  try {
    for (const line of formatReport(await migrate(url, migrateOptions), dir)) out(line);
    return 0;
  } catch (error) {
    out(
      error instanceof TimescaleTestkitError
        ? `${error.name} [${error.code}]: ${error.message}`
        : `migrate failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}
