import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type pg from 'pg';
import { connectClient, withDatabase } from '../connection/index.js';
import { createExtensions, ExtensionMissingError, precreatedExtensions } from '../contract/index.js';
import { kitStateDir } from '../env/index.js';
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
    return await checkExtensions(client, wanted, image);
  } finally {
    await client.end();
  }
}

async function checkExtensions(
  client: pg.Client,
  wanted: readonly string[],
  image: string,
): Promise<Record<string, string>> {
  if (wanted.length === 0) return {};
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
}

/** Where the kit notes a container it applied the init to (by id: a new container is a new id). */
function initRecord(containerId: string): string {
  return join(kitStateDir(), 'initialized', containerId);
}

/** Forgets a removed container's init note. */
export async function forgetInit(containerId: string): Promise<void> {
  await rm(initRecord(containerId), { force: true });
}

/**
 * Readies a server the kit started, on one connection to its own database (and one to each of
 * `postgres` and `template1` when the init runs): checks that every wanted extension can be
 * created ({@link verifyExtensions}), applies what the official image's init does, whatever
 * the image (the pre-created extensions, timescaledb when wanted, in `postgres`, `template1`
 * and the container's own database; idempotent, a no-op on the official images), and describes
 * the server. Like the image's own init, the init runs once per container: a reused container
 * (`containerId` given) is noted, and found again it is left as it is (a warm start connects
 * once).
 */
export async function prepareServer(
  connectionString: string,
  wanted: readonly string[],
  image: string,
  containerId?: string,
): Promise<{ extensions: Record<string, string>; server: ServerInfo }> {
  const client = await connectClient(connectionString, 'server check');
  try {
    const extensions = await checkExtensions(client, wanted, image);
    const record = containerId === undefined ? undefined : initRecord(containerId);
    if (record === undefined || !existsSync(record)) {
      await officialInit(client, connectionString, precreatedExtensions(wanted), image);
      if (record !== undefined) {
        await mkdir(dirname(record), { recursive: true, mode: 0o700 });
        await writeFile(record, '', { mode: 0o600 });
      }
    }
    return { extensions, server: await describeServer(client, wanted) };
  } finally {
    await client.end();
  }
}

/** The extensions `names` created in the own database (on `client`), `postgres` and `template1`. */
async function officialInit(
  client: pg.Client,
  connectionString: string,
  names: readonly string[],
  image: string,
): Promise<void> {
  if (names.length === 0) return;
  await createExtensions(client, names, image);
  const own = decodeURIComponent(new URL(connectionString).pathname.slice(1));
  for (const database of ['postgres', 'template1'].filter((name) => name !== own)) {
    const other = await connectClient(withDatabase(connectionString, database), `extensions in ${database}`);
    try {
      await createExtensions(other, names, image);
    } finally {
      await other.end();
    }
  }
}
