import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { MigrationFormatError } from '../../src/index.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const REFERENCE = join(import.meta.dirname, '..', '..', 'fixtures', 'migrations');

/** A temporary migrations folder holding `files` (relative path -> content). */
export async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tk-migrate-'));
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

/** Runs `work` with a connected client on `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Which of `names` exist as relations (to_regclass) in the database. */
export async function existing(url: string, names: string[]): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL',
      [names],
    );
    return rows.map((row) => row.name);
  });
}

export async function ledgerVersions(url: string, table = 'public.timescale_testkit_migrations'): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ version: string }>(
      `SELECT version FROM ${table} ORDER BY applied_at, version`,
    );
    return rows.map((row) => row.version);
  });
}

/** The MigrationFormatError `work` rejects with (fails the test otherwise). */
export async function formatError(work: Promise<unknown>): Promise<MigrationFormatError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationFormatError);
  return error as MigrationFormatError;
}
