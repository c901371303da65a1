import { createHash } from 'node:crypto';
import { ConfigError } from '../../errors/index.js';
import type { MigrateOptions, MigrationReport } from '../types.js';
import { folderMigrator } from './folder.js';
import type { Migrator } from './types.js';

/** What the kit accepts where migrations are configured: a folder, the runner's options, or a migrator. */
export type MigrationsSource = string | MigrateOptions | Migrator;

function described(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}`;
  const keys = Object.keys(value);
  return keys.length > 0 ? `an object with ${keys.join(', ')}` : 'an empty object';
}

/** Whether `value` has a Migrator's two methods. */
export function isMigrator(value: unknown): value is Migrator {
  const candidate = value as Partial<Migrator> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.hash === 'function' &&
    typeof candidate.migrate === 'function'
  );
}

/**
 * The migrator for a configured value: a folder path and runner options become a folder migrator;
 * anything that is neither nor a {@link Migrator} is a {@link ConfigError} naming what is missing.
 */
export function toMigrator(value: unknown, where: string): Migrator {
  if (typeof value === 'string' && value !== '') return folderMigrator(value);
  if (isMigrator(value)) return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if (typeof object.dir === 'string' && object.migrate === undefined && object.hash === undefined) {
      return folderMigrator(object as unknown as MigrateOptions);
    }
    const missing = ['hash', 'migrate'].filter((name) => typeof object[name] !== 'function').map((name) => `${name}()`);
    throw new ConfigError(
      `${where} is ${described(value)}, not a Migrator: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} ` +
        'missing. Give a migrations folder path, folder options { dir, format, files }, or a Migrator ' +
        '{ hash(): string, migrate(connectionString): Promise<void> } such as commandMigrator(...) or functionMigrator(...)',
    );
  }
  throw new ConfigError(
    `${where} is ${described(value)}: give a migrations folder path, folder options { dir, format, files }, or a ` +
      'Migrator { hash(), migrate(connectionString) } such as commandMigrator(...) or functionMigrator(...)',
  );
}

/**
 * The migrator's hash as a template key: a hex digest (24+ digits) as it is, so a folder keeps
 * the template name it always had; any other string is hashed. An empty or non-string hash is a
 * {@link ConfigError}.
 */
export async function migratorHash(migrator: Migrator): Promise<string> {
  const hash: unknown = await migrator.hash();
  if (typeof hash !== 'string' || hash.trim() === '') {
    throw new ConfigError(
      `the migrator${migrator.name ? ` (${migrator.name})` : ''}'s hash() returned ${JSON.stringify(hash) ?? String(hash)}: ` +
        'it must return a non-empty string that changes whenever the schema does',
    );
  }
  return /^[0-9a-f]{24,}$/i.test(hash) ? hash.toLowerCase() : createHash('sha256').update(hash).digest('hex');
}

/** Whether a migrator's `migrate()` returned the folder runner's report. */
export function isMigrationReport(value: unknown): value is MigrationReport {
  const report = value as Partial<MigrationReport> | null;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.hash === 'string' &&
    Array.isArray(report.applied) &&
    Array.isArray(report.skipped)
  );
}
