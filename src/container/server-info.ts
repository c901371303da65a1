import type pg from 'pg';

/** TimescaleDB's edition: `apache` (Apache 2 licence only) or `community` (Timescale License, TSL). */
export type TimescaleEdition = 'apache' | 'community';

/** What a server runs: the first things to compare when a suite passes in CI and fails on a laptop. */
export interface ServerInfo {
  /** PostgreSQL version, e.g. `17.6`. */
  postgres: string;
  /** Version of each wanted extension a database gets (the installed one, else the default). */
  extensions: Record<string, string>;
  /** TimescaleDB's edition; undefined when timescaledb is not loaded (`shared_preload_libraries`). */
  edition: TimescaleEdition | undefined;
  /** Encoding of the connected database, e.g. `UTF8`. */
  encoding: string;
}

/** `SHOW timescaledb.license` as an edition: `timescale` is the community edition. */
export function editionOf(license: string | null | undefined): TimescaleEdition | undefined {
  if (license === 'apache') return 'apache';
  if (license === 'timescale') return 'community';
  return undefined;
}

function editionLabel(edition: TimescaleEdition | undefined): string {
  if (edition === 'apache') return 'Apache edition';
  if (edition === 'community') return 'Community edition';
  return 'edition unknown';
}

const EXTENSION_LABELS: Readonly<Record<string, string>> = { vector: 'pgvector', vectorscale: 'pgvectorscale' };

/** `{ postgres, ...extensions }`: the shape of `StartedTimescale.versions`. */
export function versionsOf(info: ServerInfo): Record<string, string> {
  return { postgres: info.postgres, ...info.extensions };
}

/**
 * `PostgreSQL 17.6, TimescaleDB 2.30.2 (Community edition), pgvector 0.8.1`: the server's
 * versions (as {@link versionsOf} gives them) with TimescaleDB's edition.
 */
export function serverSummary(
  versions: Readonly<Record<string, string>>,
  edition: TimescaleEdition | undefined,
): string {
  const parts: string[] = [];
  for (const [name, version] of Object.entries(versions)) {
    if (name === 'postgres') parts.unshift(`PostgreSQL ${version}`);
    else if (name === 'timescaledb') parts.push(`TimescaleDB ${version} (${editionLabel(edition)})`);
    else parts.push(`${EXTENSION_LABELS[name] ?? name} ${version}`);
  }
  return parts.join(', ');
}

const LICENSE_SQL = "SELECT current_setting('timescaledb.license', true) AS license";

/**
 * `timescaledb.license` exists once the extension's library is loaded in the session, i.e. in a
 * database that has the extension; elsewhere it is read inside a transaction that creates the
 * extension and is rolled back (nothing stays; null when that is not allowed).
 */
async function readLicense(client: pg.ClientBase, wanted: readonly string[]): Promise<string | null> {
  const { rows } = await client.query<{ license: string | null }>(LICENSE_SQL);
  if (rows[0]?.license || !wanted.includes('timescaledb')) return rows[0]?.license ?? null;
  try {
    await client.query('BEGIN');
    await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    return (await client.query<{ license: string | null }>(LICENSE_SQL)).rows[0]?.license ?? null;
  } catch {
    return null;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

/** Reads versions, edition and encoding through a connected client; leaves nothing behind. */
export async function describeServer(client: pg.ClientBase, wanted: readonly string[]): Promise<ServerInfo> {
  const { rows } = await client.query<{ version: string; encoding: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_encoding') AS encoding",
  );
  const row = rows[0];
  const license = await readLicense(client, wanted);
  const available = await client.query<{ name: string; version: string | null }>(
    'SELECT name, coalesce(installed_version, default_version) AS version FROM pg_available_extensions WHERE name = ANY($1::text[])',
    [wanted],
  );
  const extensions: Record<string, string> = {};
  for (const name of wanted) {
    const version = available.rows.find((r) => r.name === name)?.version;
    if (version) extensions[name] = version;
  }
  return {
    postgres: (row?.version ?? '?').split(' ')[0] ?? '?',
    extensions,
    edition: editionOf(license),
    encoding: row?.encoding ?? '?',
  };
}
