import { connectClient, withDatabase } from '../connection/index.js';
import { createExtensions, ExtensionMissingError, precreatedExtensions } from '../contract/index.js';
import { describeServer, type ServerInfo } from './server-info.js';

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
      await createExtensions(client, wanted, image);
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

/**
 * What the official image's init does, whatever the image: the pre-created extensions
 * (timescaledb, when wanted) in `postgres`, `template1` and the container's own database.
 * Idempotent, and a no-op on the official images. Returns what the server runs.
 */
export async function applyOfficialInit(
  connectionString: string,
  wanted: readonly string[],
  image: string,
): Promise<ServerInfo> {
  const names = precreatedExtensions(wanted);
  const own = decodeURIComponent(new URL(connectionString).pathname.slice(1));
  for (const database of new Set(['postgres', 'template1', own])) {
    if (names.length === 0) break;
    const client = await connectClient(withDatabase(connectionString, database), `extensions in ${database}`);
    try {
      await createExtensions(client, names, image);
    } finally {
      await client.end();
    }
  }
  const client = await connectClient(connectionString, 'server description');
  try {
    return await describeServer(client, wanted);
  } finally {
    await client.end();
  }
}
