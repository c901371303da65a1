import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lintFactories } from '../../src/domain/index.js';
import { createFactories } from '../../src/index.js';
import { beginTestTransaction } from '../../src/isolation/index.js';
import { schemaDatabase } from '../support/server.js';

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await schemaDatabase('fact_iso');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('factories inside a per-test transaction (isolation layer)', () => {
  test('graphs, pipelined series and lint run on the pinned connection and roll back', async () => {
    const transaction = await beginTestTransaction(pool);
    try {
      const factories = createFactories(transaction.pool, { seed: 31 });
      const graph = await factories.graph({ sessions: 3, ordersPerSession: 2, tradesPerOrder: 2 });
      expect(graph.trades).toHaveLength(12);
      expect(await factories.candlestick.series({ count: 12_000, batchSize: 2_000, returning: false })).toBe(12_000);
      const report = await lintFactories(transaction.pool, { seed: 32 });
      expect(report.failures).toEqual([]);
      const { rows } = await transaction.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM candlesticks');
      expect(rows[0]?.n).toBe('12000');
    } finally {
      await transaction.rollback();
    }
    const { rows } = await pool.query<{ sessions: string; candles: string }>(
      'SELECT (SELECT count(*) FROM trading_sessions)::text AS sessions, (SELECT count(*) FROM candlesticks)::text AS candles',
    );
    expect(rows[0]).toEqual({ sessions: '0', candles: '0' });
  });
});
