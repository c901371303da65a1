import pg from 'pg';
import { describe, expect } from 'vitest';
import { health, ping, poolStats, transaction } from '../../examples/repository/index.js';
import { scratchDatabase, urlFor } from '../support/server.js';
import { test } from './support.js';

describe('connection', () => {
  test('ping answers with a round trip in milliseconds', async ({ db }) => {
    const ms = await ping(db.pool);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(5_000);
  });

  test('ping rejects when the database does not exist', async () => {
    const pool = new pg.Pool({ connectionString: urlFor('no_such_database_here'), max: 1 });
    try {
      await expect(ping(pool)).rejects.toMatchObject({ code: '3D000' });
    } finally {
      await pool.end();
    }
  });

  test('health reports PostgreSQL 17, TimescaleDB and pgvector on the test database', async ({ db }) => {
    const report = await health(db.pool);
    expect(report).toMatchObject({ ok: true, database: db.name });
    expect(report.serverVersion).toMatch(/^17\./);
    expect(report.timescaledb).toMatch(/^2\./);
    expect(report.vector).toMatch(/^0\.\d+/);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test('health is not ok on a database without the extensions', async () => {
    const scratch = await scratchDatabase('examples_bare');
    const pool = new pg.Pool({ connectionString: scratch.url, max: 1 });
    try {
      await pool.query('DROP EXTENSION IF EXISTS vector');
      const report = await health(pool);
      expect(report).toMatchObject({ ok: false, database: scratch.name, vector: null });
    } finally {
      await pool.end();
      await scratch.drop();
    }
  });

  test('pool stats count busy, idle and waiting clients', async ({ db }) => {
    const pool = new pg.Pool({ connectionString: urlFor(db.name), max: 4 });
    try {
      await ping(pool);
      const held = await Promise.all([pool.connect(), pool.connect()]);
      const busy = poolStats(pool);
      for (const client of held) client.release();
      expect(busy).toEqual({ total: 2, idle: 0, waiting: 0, max: 4 });
      expect(poolStats(pool)).toEqual({ total: 2, idle: 2, waiting: 0, max: 4 });
    } finally {
      await pool.end();
    }
  });

  test('a pool of one makes the second caller wait', async ({ db }) => {
    const pool = new pg.Pool({ connectionString: urlFor(db.name), max: 1 });
    try {
      const client = await pool.connect();
      const waiting = pool.query('SELECT 1');
      expect(poolStats(pool)).toMatchObject({ total: 1, idle: 0, waiting: 1, max: 1 });
      client.release();
      await waiting;
      expect(poolStats(pool)).toMatchObject({ total: 1, idle: 1, waiting: 0 });
    } finally {
      await pool.end();
    }
  });

  test('transaction commits the work and returns its result', async ({ db }) => {
    const id = await transaction(db.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        "INSERT INTO trading_sessions (mode, symbol, initial_capital) VALUES ('PAPER', 'ETHUSDT', 1) RETURNING id",
      );
      return rows[0]?.id;
    });
    const { rows } = await db.pool.query('SELECT symbol FROM trading_sessions WHERE id = $1', [id]);
    expect(rows).toEqual([{ symbol: 'ETHUSDT' }]);
  });

  test('transaction rolls back everything when the work throws', async ({ db, factories }) => {
    const kept = await factories.tradingSession.create({ symbol: 'KEEP' });
    await expect(
      transaction(db.pool, async (client) => {
        await client.query("INSERT INTO trading_sessions (mode, symbol, initial_capital) VALUES ('PAPER', 'GONE', 1)");
        await client.query('DELETE FROM trading_sessions WHERE id = $1', [kept.id]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.pool.query('SELECT symbol FROM trading_sessions ORDER BY symbol');
    expect(rows).toEqual([{ symbol: 'KEEP' }]);
  });

  test('transaction throws away a client whose connection died, and the pool carries on', async ({ db }) => {
    // its own pool: killing a backend of the fixture's pool would kill a connection the test may share
    const pool = new pg.Pool({ connectionString: urlFor(db.name), max: 1 });
    try {
      const error = await transaction(pool, async (client) => {
        await client.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: '57P01' });
      expect(poolStats(pool).total).toBe(0);
      expect(await ping(pool)).toBeGreaterThanOrEqual(0);
      expect(poolStats(pool)).toMatchObject({ total: 1, idle: 1 });
    } finally {
      await pool.end();
    }
  });
});
