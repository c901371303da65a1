import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Template } from '../../src/index.js';
import { serverUrl } from '../support/server.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const TOOLS = join(ROOT, 'test', 'fixtures', 'tools');
const SOURCE = join(ROOT, 'src', 'index.ts');

/** Per-test bound of the tool tests: each spawns the tool through npx, some twice; a loaded machine needs room. */
export const TOOL_TIMEOUT_MS = 180_000;

/**
 * A copy of test/fixtures/tools/<tool> in the repository's ignored .tmp/ (so `npx` finds the
 * tools in its node_modules), its `timescale-testkit` imports pointed at the source, and the
 * process's working directory moved there (the recipes' paths are relative to it) until disposed.
 */
export async function toolProject(tool: string): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = join(ROOT, '.tmp', `tk-tool-${tool}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  await cp(join(TOOLS, tool), dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.config.ts') || name === 'drizzle.config.ts') continue;
    const text = await readFile(join(dir, name), 'utf8');
    await writeFile(join(dir, name), text.replaceAll("from 'timescale-testkit'", `from ${JSON.stringify(SOURCE)}`));
  }
  process.chdir(dir);
  return {
    dir,
    async [Symbol.asyncDispose]() {
      // the repository root, where vitest runs the suite (not "the previous" directory: a timed-out
      // test's project may be gone by then)
      process.chdir(ROOT);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Whether a database of that name exists on the suite's server. */
export function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (admin) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  });
}

/** Closes the template and drops it (it is sealed: unsealed first). */
export async function dropTemplate(template: Template): Promise<void> {
  await template.close();
  await withAdmin(async (admin) => {
    const id = pg.escapeIdentifier(template.name);
    await admin.query(`ALTER DATABASE ${id} WITH IS_TEMPLATE false`).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
  });
}

/** The schema a tool recipe builds: `<prefix>_ticks` a hypertable, `<prefix>_notes.embedding` a vector. */
export async function recipeSchema(
  template: Template,
  prefix: string,
): Promise<{ hypertable: boolean; embedding: string | undefined }> {
  await using db = await template.clone();
  const hyper = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM timescaledb_information.hypertables WHERE hypertable_name = $1',
    [`${prefix}_ticks`],
  );
  const column = await db.query<{ type: string }>(
    "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'embedding'",
    [`${prefix}_notes`],
  );
  return { hypertable: hyper.rows[0]?.n === 1, embedding: column.rows[0]?.type };
}
