import { createHash } from 'node:crypto';
import { loadPlan } from './load.js';
import type { MigrationFormat, MigrationPlan } from './types.js';

/** sha256 (hex) of the plan's format and its ordered migrations' names and contents. */
export function hashPlan(plan: MigrationPlan): string {
  const hash = createHash('sha256');
  hash.update(`timescale-testkit migrations v1\n${plan.format}\n`);
  for (const m of plan.migrations) {
    hash.update(`${m.repeatable ? 'R' : 'V'}\t${m.version}\t${m.file}\t${m.checksum}\n`);
  }
  return hash.digest('hex');
}

/**
 * A stable hash of a migrations folder: its format and the ordered files it applies, by name
 * and content. File timestamps and files the format ignores (`.down.sql`, READMEs, ...) do not
 * change it.
 */
export async function hashMigrations(
  dir: string,
  options: { format?: MigrationFormat | 'auto'; files?: string } = {},
): Promise<string> {
  return hashPlan(await loadPlan(dir, options.format ?? 'auto', options.files));
}

/** What a folder resolves to: its format, how many migrations it applies, and its hash. */
export async function inspectMigrations(
  dir: string,
  options: { format?: MigrationFormat | 'auto' } = {},
): Promise<{ format: MigrationFormat; count: number; hash: string }> {
  const plan = await loadPlan(dir, options.format ?? 'auto');
  return { format: plan.format, count: plan.migrations.length, hash: hashPlan(plan) };
}
