import pg from 'pg';
import { connectClient, withDatabase } from '../connection/index.js';
import { createExtensions, DATABASE_ENCODING, PRECREATED_EXTENSIONS, serverAt } from './extensions.js';

/**
 * Creates `name` as the official image would hand it out, whatever the server: UTF8, from
 * `template0` (so nobody's connection to `template1` holds it up, and no local change to
 * `template1` leaks in), with the pre-created extensions (timescaledb). The server's default
 * locale is kept (a server whose locale cannot hold UTF8 refuses, naming it).
 */
export async function createDatabaseLikeOfficial(
  admin: pg.Pool,
  serverUrl: string,
  name: string,
  extensions: readonly string[] = PRECREATED_EXTENSIONS,
): Promise<void> {
  await admin.query(
    `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING ${pg.escapeLiteral(DATABASE_ENCODING)}`,
  );
  if (extensions.length === 0) return;
  const client = await connectClient(withDatabase(serverUrl, name), `new database ${name}`);
  try {
    await createExtensions(client, extensions, serverAt(serverUrl));
  } finally {
    await client.end();
  }
}
