import { createHash } from 'node:crypto';
import type pg from 'pg';
import { logger } from '../env/index.js';
import { MigrationLockError } from './errors.js';

const debug = logger('migrate');

/** A stable signed 64-bit advisory lock key for `name`. */
export function lockKey(name: string): string {
  const hex = createHash('sha256').update(`timescale-testkit:migrate:${name}`).digest('hex').slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
}

/**
 * Takes the session-level advisory lock `name` (per database), waiting at most `timeoutMs`
 * (0: no limit). Returns its release.
 */
export async function acquireLock(
  client: pg.ClientBase,
  name: string,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const key = lockKey(name);
  const { rows } = await client.query<{ previous: string }>("SELECT current_setting('lock_timeout') AS previous");
  const previous = rows[0]?.previous ?? '0';
  await client.query("SELECT set_config('lock_timeout', $1, false)", [`${Math.max(0, Math.round(timeoutMs))}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03') throw new MigrationLockError(name, timeoutMs, error);
    throw error;
  } finally {
    await client.query("SELECT set_config('lock_timeout', $1, false)", [previous]);
  }
  debug(`migrate lock ${name} acquired`);
  return async () => {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
  };
}
