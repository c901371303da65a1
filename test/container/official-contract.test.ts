import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareServer } from '../../src/container/extensions.js';
import { createTemplate, DEFAULT_IMAGE, ExtensionMissingError } from '../../src/index.js';
import { serverUrl, urlFor } from '../support/server.js';

const image = process.env.TIMESCALE_TESTKIT_IMAGE ?? DEFAULT_IMAGE;

interface DatabaseState {
  extensions: string[];
  encoding: string;
}

async function stateOf(url: string): Promise<DatabaseState> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const extensions = await client.query<{ extname: string }>(
      "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
    );
    const encoding = await client.query<{ encoding: string }>("SELECT current_setting('server_encoding') AS encoding");
    return { extensions: extensions.rows.map((row) => row.extname), encoding: encoding.rows[0]?.encoding ?? '?' };
  } finally {
    await client.end();
  }
}

function withDb(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

/** What the official image's init leaves, per timescaledb-docker's 000_install_timescaledb.sh. */
const OFFICIAL: DatabaseState = { extensions: ['timescaledb'], encoding: 'UTF8' };

const folders: string[] = [];

/**
 * A folder like the one from the issue: it uses TimescaleDB and never creates the extension.
 * Each call makes a new one (a new migrations hash, so a new template).
 */
async function migrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tk-contract-'));
  folders.push(dir);
  await writeFile(
    join(dir, '001_ticks.sql'),
    `-- ${randomUUID()}\nCREATE TABLE ticks (time timestamptz NOT NULL, price numeric NOT NULL);\nSELECT create_hypertable('ticks', 'time');\n`,
  );
  return dir;
}
afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the same database on every image', () => {
  it("the kit's container: timescaledb created in test, postgres and template1, vector left to migrations, UTF8", async () => {
    expect(await stateOf(serverUrl())).toEqual(OFFICIAL);
    expect(await stateOf(urlFor('postgres'))).toEqual(OFFICIAL);
    expect(await stateOf(urlFor('template1'))).toEqual(OFFICIAL);
  });

  it('a template from createTemplate and its clones: the same, so a folder that never creates timescaledb migrates', async () => {
    await using template = await createTemplate(serverUrl(), { migrations: await migrations() });
    expect(template.report?.applied.map((m) => m.version)).toEqual(['001_ticks']);
    await using clone = await template.clone();
    expect(await stateOf(clone.connectionString)).toEqual(OFFICIAL);
    const { rows } = await clone.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM timescaledb_information.hypertables WHERE hypertable_name = 'ticks'",
    );
    expect(rows).toEqual([{ n: 1 }]);
  });
});

describe('the image itself, without the kit', () => {
  let server: StartedPostgreSqlContainer;

  beforeAll(async () => {
    server = await new PostgreSqlContainer(image).withDatabase('app').start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("its init does what the official image's does", async () => {
    const url = server.getConnectionUri();
    for (const database of ['app', 'postgres', 'template1']) {
      expect(await stateOf(withDb(url, database)), database).toEqual(OFFICIAL);
    }
  });

  it('on a server whose template1 is LATIN1 without timescaledb, templates and the official init still agree', async () => {
    const url = withDb(server.getConnectionUri(), 'postgres');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('ALTER DATABASE template1 IS_TEMPLATE false');
      await admin.query('DROP DATABASE template1');
      await admin.query("CREATE DATABASE template1 TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C' IS_TEMPLATE true");
    } finally {
      await admin.end();
    }
    expect(await stateOf(withDb(url, 'template1'))).toEqual({ extensions: [], encoding: 'LATIN1' });

    await using template = await createTemplate(url, { migrations: await migrations() });
    await using clone = await template.clone();
    expect(await stateOf(clone.connectionString)).toEqual(OFFICIAL);

    const { extensions, server: info } = await prepareServer(withDb(url, 'app'), ['timescaledb', 'vector'], image);
    expect(await stateOf(withDb(url, 'template1'))).toEqual({ extensions: ['timescaledb'], encoding: 'LATIN1' });
    expect(info.encoding).toBe('UTF8');
    expect(Object.keys(info.extensions)).toEqual(['timescaledb', 'vector']);
    expect(Object.keys(extensions)).toEqual(['timescaledb', 'vector']);
  });

  it('an extension the server lacks is an ExtensionMissingError naming the server', async () => {
    const error = await createTemplate(server.getConnectionUri(), {
      migrations: await migrations(),
      extensions: ['timescaledb', 'no_such_extension'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtensionMissingError);
    expect((error as ExtensionMissingError).extension).toBe('no_such_extension');
    expect((error as Error).message).toContain(`the server at ${server.getHost()}:${server.getPort()}`);
  });
});
