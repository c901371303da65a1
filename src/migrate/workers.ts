import pg from 'pg';
import { logger } from '../env/index.js';

const debug = logger('migrate');

const FIND = `
  SELECT n.nspname AS schema
  FROM pg_extension e, pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE e.extname = 'timescaledb' AND p.proname = 'stop_background_workers'
    AND n.nspname IN ('_timescaledb_functions', '_timescaledb_internal')
  ORDER BY n.nspname = '_timescaledb_functions' DESC
  LIMIT 1`;

/**
 * Stops TimescaleDB's background workers for the connected database (when the extension is
 * installed), so its scheduler holds no connection to a database that is being migrated into a
 * template (timescaledb issues 4048, 6848). Returns whether they were stopped.
 */
export async function stopBackgroundWorkers(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ schema: string }>(FIND);
  const schema = rows[0]?.schema;
  if (!schema) return false;
  try {
    await client.query(`SELECT ${pg.escapeIdentifier(schema)}.stop_background_workers()`);
    return true;
  } catch (error) {
    debug(`migrate could not stop background workers: ${(error as Error).message}`);
    return false;
  }
}
