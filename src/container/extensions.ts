import pg from 'pg';
import { connectClient } from '../connection/index.js';
import { ExtensionMissingError } from './errors.js';

/**
 * Checks that every wanted extension can be created, inside a transaction that is
 * rolled back, and returns the version each one would have.
 */
export async function verifyExtensions(
  connectionString: string,
  wanted: readonly string[],
  image: string,
): Promise<Record<string, string>> {
  if (wanted.length === 0) return {};
  const client = await connectClient(connectionString, 'extension check');
  try {
    const available = await client.query<{ name: string }>(
      'SELECT name FROM pg_available_extensions WHERE name = ANY($1::text[])',
      [wanted],
    );
    const present = new Set(available.rows.map((row) => row.name));
    const missing = wanted.find((name) => !present.has(name));
    if (missing) throw new ExtensionMissingError(missing, image, 'the server does not have it installed');

    const versions: Record<string, string> = {};
    await client.query('BEGIN');
    try {
      for (const name of wanted) {
        try {
          await client.query(`CREATE EXTENSION IF NOT EXISTS ${pg.escapeIdentifier(name)}`);
        } catch (error) {
          throw new ExtensionMissingError(name, image, error instanceof Error ? error.message : String(error));
        }
      }
      const created = await client.query<{ extname: string; extversion: string }>(
        'SELECT extname, extversion FROM pg_extension WHERE extname = ANY($1::text[])',
        [wanted],
      );
      // in the order asked for, whatever order the catalog returns them in
      for (const name of wanted) {
        const row = created.rows.find((r) => r.extname === name);
        if (row) versions[name] = row.extversion;
      }
    } finally {
      await client.query('ROLLBACK');
    }
    return versions;
  } finally {
    await client.end();
  }
}
