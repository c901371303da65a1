import type pg from 'pg';
import type { SqlTarget } from '../connection/index.js';
import { logger, timed } from '../env/index.js';
import { openMigrationConnection } from './connection.js';
import { MigrationChecksumError, MigrationOrderError } from './errors.js';
import { applyMigration } from './execute.js';
import { hashPlan } from './hash.js';
import { Ledger, type LedgerRow } from './ledger.js';
import { loadPlan } from './load.js';
import { acquireLock } from './lock.js';
import {
  type AppliedMigration,
  DEFAULT_MIGRATIONS_TABLE,
  type LoadedMigration,
  type MigrateOptions,
  type MigrationPlan,
  type MigrationReport,
} from './types.js';
import { stopBackgroundWorkers } from './workers.js';

const debug = logger('migrate');

const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

async function serverEncodingOf(client: pg.ClientBase): Promise<string | undefined> {
  const { rows } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
  return rows[0]?.server_encoding;
}

/** Splits the plan into what to apply and what the ledger already has; throws on edits and gaps. */
export function pendingMigrations(
  plan: MigrationPlan,
  recorded: ReadonlyMap<string, LedgerRow>,
  allowOutOfOrder: boolean,
): { pending: LoadedMigration[]; skipped: string[] } {
  const pending: LoadedMigration[] = [];
  const skipped: string[] = [];
  const versioned = plan.migrations.filter((m) => !m.repeatable);
  const lastApplied = versioned.findLastIndex((m) => recorded.has(m.version));
  versioned.forEach((m, index) => {
    const row = recorded.get(m.version);
    if (row) {
      if (row.checksum !== m.checksum) throw new MigrationChecksumError(m.path, m.version, row.checksum, m.checksum);
      skipped.push(m.version);
    } else if (index < lastApplied && !allowOutOfOrder) {
      throw new MigrationOrderError(m.path, m.version, (versioned[lastApplied] as LoadedMigration).version);
    } else {
      pending.push(m);
    }
  });
  for (const m of plan.migrations.filter((candidate) => candidate.repeatable)) {
    if (recorded.get(m.version)?.checksum === m.checksum) skipped.push(m.version);
    else pending.push(m);
  }
  return { pending, skipped };
}

/**
 * Applies the folder's pending migrations to `target`, once, under a per-database advisory lock:
 * concurrent runners wait and then find nothing left to do.
 *
 * @example
 * ```ts
 * const report = await migrate(process.env.DATABASE_URL, { dir: './migrations' })
 * console.log(report.applied.length, report.hash)
 * ```
 */
export async function migrate(target: SqlTarget, options: MigrateOptions): Promise<MigrationReport> {
  const started = performance.now();
  const plan = await loadPlan(options.dir, options.format ?? 'auto', options.files);
  const hash = hashPlan(plan);
  const ledger = new Ledger(options.schema ?? 'public', options.table ?? DEFAULT_MIGRATIONS_TABLE);
  const connection = await openMigrationConnection(target);
  try {
    const { client } = connection;
    const release = await timed(debug, 'migrate lock', () =>
      acquireLock(client, `${ledger.schema}.${ledger.table}`, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS),
    );
    try {
      await ledger.ensure(client);
      const { pending, skipped } = pendingMigrations(plan, await ledger.read(client), options.allowOutOfOrder ?? false);
      const applied: AppliedMigration[] = [];
      const serverEncoding = pending.length > 0 ? await serverEncodingOf(client) : undefined;
      if (pending.length > 0) await stopBackgroundWorkers(client);
      for (const migration of pending) {
        applied.push(
          await timed(debug, `migrate ${migration.file}`, () =>
            applyMigration(client, migration, ledger, serverEncoding ? { serverEncoding } : {}),
          ),
        );
        await stopBackgroundWorkers(client);
      }
      const totalMs = Math.round((performance.now() - started) * 10) / 10;
      debug(`migrate ${plan.dir}: ${applied.length} applied, ${skipped.length} skipped (${plan.format})`);
      return { format: plan.format, hash, applied, skipped, totalMs };
    } finally {
      await release();
    }
  } finally {
    await connection.close();
  }
}
