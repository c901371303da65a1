import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { describeServer, serverSummary } from '../../src/container/index.js';
import { serverUrl, urlFor } from '../support/server.js';

describe('what a server runs', () => {
  it('reads the edition in a database without timescaledb, and leaves it without', async () => {
    const name = `bare_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0`);
    const client = new pg.Client({ connectionString: urlFor(name) });
    try {
      await client.connect();
      const info = await describeServer(client, ['timescaledb', 'vector', 'no_such_extension']);
      expect(['apache', 'community']).toContain(info.edition);
      expect(Object.keys(info.extensions)).toEqual(['timescaledb', 'vector']);
      expect(info.encoding).toBe('UTF8');
      const { rows } = await client.query("SELECT extname FROM pg_extension WHERE extname = 'timescaledb'");
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
    // without timescaledb among the wanted extensions nothing is tried (a new session: the first
    // one keeps the library it loaded)
    const fresh = new pg.Client({ connectionString: urlFor(name) });
    try {
      await fresh.connect();
      expect(await describeServer(fresh, [])).toMatchObject({ extensions: {}, edition: undefined });
    } finally {
      await fresh.end();
      await admin.query(`DROP DATABASE ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('says the versions and the edition in one line', () => {
    const versions = {
      postgres: '17.6',
      timescaledb: '2.30.2',
      vector: '0.8.1',
      vectorscale: '0.9.0',
      postgis: '3.5.2',
    };
    expect(serverSummary(versions, 'community')).toBe(
      'PostgreSQL 17.6, TimescaleDB 2.30.2 (Community edition), pgvector 0.8.1, pgvectorscale 0.9.0, postgis 3.5.2',
    );
    expect(serverSummary({ timescaledb: '2.19.3', postgres: '17.12' }, 'apache')).toBe(
      'PostgreSQL 17.12, TimescaleDB 2.19.3 (Apache edition)',
    );
    expect(serverSummary({ postgres: '16.4', timescaledb: '2.30.2' }, undefined)).toBe(
      'PostgreSQL 16.4, TimescaleDB 2.30.2 (edition unknown)',
    );
  });
});
