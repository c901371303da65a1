import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Connection string of the suite's shared server (its default database). */
export function serverUrl(): string {
  return inject('serverUrl');
}

export function urlFor(database: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new empty database on the shared server, dropped by the returned function. */
export async function scratchDatabase(
  prefix = 'scratch',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlFor(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A new database on the shared server with the reference schema (fixtures/migrations)
 * applied as plain SQL. Interim helper until the kit's own isolation layer serves tests.
 */
export async function schemaDatabase(
  prefix = 'schema',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const database = await scratchDatabase(prefix);
  const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'migrations');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    for (const file of files) await client.query(await readFile(join(dir, file), 'utf8'));
  } finally {
    await client.end();
  }
  return database;
}

/** Every table of the reference schema (fixtures/migrations), hypertables included. */
export const REFERENCE_TABLES = [
  'trading_sessions',
  'orders',
  'trades',
  'positions',
  'agent_status',
  'agent_signals',
  'llm_decisions',
  'candlesticks',
  'performance_metrics',
] as const;

/** The databases of a run (`tk_<runId>_...`) still on the suite's server. */
export async function runDatabases(runId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `tk\\_${runId}\\_%`,
    ]);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

/** A database on the shared server as the isolation tests read it: open to connections, the kit's marker. */
export interface DatabaseRow {
  name: string;
  allowConn: boolean;
  comment: string | null;
}

/** The shared server's databases matching `where` (a condition on pg_database with `$1` = `value`), by name. */
export async function databaseRows(admin: pg.Pool, where: string, value: string): Promise<DatabaseRow[]> {
  const { rows } = await admin.query<DatabaseRow>(
    `SELECT datname AS name, datallowconn AS "allowConn", shobj_description(oid, 'pg_database') AS comment
       FROM pg_database WHERE ${where} ORDER BY datname`,
    [value],
  );
  return rows;
}
