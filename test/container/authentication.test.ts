import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_SCRAM_ITERATIONS, lightenAuthentication, scramVerifier } from '../../src/container/authentication.js';
import { serverUrl } from '../support/server.js';

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const stored = (role: string) =>
  admin(
    async (client) =>
      (await client.query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [role])).rows[0]
        ?.p,
  );

function urlAs(role: string, password: string): string {
  const url = new URL(serverUrl());
  url.username = role;
  url.password = password;
  return url.toString();
}

async function connects(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('the kit password with few PBKDF2 iterations', () => {
  const role = `tk_auth_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(16).toString('hex');

  beforeAll(() =>
    admin((client) =>
      client.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN SUPERUSER PASSWORD ${pg.escapeLiteral(password)}`),
    ),
  );
  afterAll(() => admin((client) => client.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`)));

  it("is how the kit's own container stores its password", async () => {
    const user = decodeURIComponent(new URL(serverUrl()).username);
    expect(await stored(user)).toMatch(new RegExp(`^SCRAM-SHA-256\\$${KIT_SCRAM_ITERATIONS}:`));
  });

  it('stores the same password pre-hashed: the right one connects, a wrong one does not; once', async () => {
    expect(await stored(role)).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(await lightenAuthentication(urlAs(role, password), password)).toBe(true);
    expect(await stored(role)).toMatch(/^SCRAM-SHA-256\$1:/);
    expect(await connects(urlAs(role, password))).toBe(true);
    expect(await connects(urlAs(role, `${password}x`))).toBe(false);
    expect(await lightenAuthentication(urlAs(role, password), password)).toBe(false);
  });

  it('builds the verifier PostgreSQL builds for the same salt and iterations', async () => {
    const salt = randomBytes(16);
    await admin(async (client) => {
      await client.query('SET scram_iterations = 2');
      await client.query(`ALTER ROLE ${pg.escapeIdentifier(role)} PASSWORD ${pg.escapeLiteral('pencil')}`);
    });
    const server = await stored(role);
    const serverSalt = Buffer.from(/^SCRAM-SHA-256\$2:([^$]+)\$/.exec(server ?? '')?.[1] ?? '', 'base64');
    expect(scramVerifier('pencil', 2, serverSalt)).toBe(server);
    expect(scramVerifier('pencil', 2, salt)).not.toBe(server);
  });
});
