import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFactories, decimal, type Factories, FactoryValidationError } from '../../src/index.js';
import { schemaDatabase } from '../support/server.js';

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;
let factories: Factories;

async function one<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T> {
  const { rows } = await pool.query<T>(sql, values);
  return rows[0] as T;
}

beforeAll(async () => {
  database = await schemaDatabase('candles');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  factories = createFactories(pool, { seed: 77 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('candlestick series', () => {
  test('100k candles in bulk: right count, contiguous times, valid OHLC, a continuous walk', async () => {
    const from = new Date('2023-06-01T00:00:00Z');
    const inserted = await factories.candlestick.series({
      symbol: 'ETHUSDT',
      interval: '1m',
      from,
      count: 100_000,
      startPrice: 2_000,
      volatility: 0.003,
      returning: false,
    });
    expect(inserted).toBe(100_000);
    const stats = await one<{ n: string; first: Date; last: Date; gaps: string; bad: string; breaks: string }>(
      `WITH c AS (
         SELECT time, open, high, low, close, volume,
                time - lag(time) OVER w AS gap, lag(close) OVER w AS previous
           FROM candlesticks WHERE symbol = 'ETHUSDT' AND interval = '1m'
         WINDOW w AS (ORDER BY time))
       SELECT count(*) AS n, min(time) AS first, max(time) AS last,
              count(*) FILTER (WHERE gap IS NOT NULL AND gap <> interval '1 minute') AS gaps,
              count(*) FILTER (WHERE high < greatest(open, close) OR low > least(open, close)
                                 OR low <= 0 OR volume <= 0) AS bad,
              count(*) FILTER (WHERE previous IS NOT NULL AND open <> previous) AS breaks
         FROM c`,
    );
    expect(Number(stats.n)).toBe(100_000);
    expect(stats.first).toEqual(from);
    expect(stats.last).toEqual(new Date(from.getTime() + 99_999 * 60_000));
    expect(Number(stats.gaps)).toBe(0);
    expect(Number(stats.bad)).toBe(0);
    expect(Number(stats.breaks)).toBe(0);
    const first = await one<{ open: string }>(
      `SELECT open FROM candlesticks WHERE symbol = 'ETHUSDT' ORDER BY time LIMIT 1`,
    );
    expect(first.open).toBe('2000.00000000');
  });

  test('a small series returns its rows; they match what is stored', async () => {
    const rows = await factories.candlestick.series({ symbol: 'BNBUSDT', interval: '1h', count: 24, batchSize: 10 });
    expect(rows).toHaveLength(24);
    expect(rows[0]?.time).toEqual(factories.refDate);
    for (const [index, row] of rows.entries()) {
      expect(row.interval).toBe('1h');
      expect(decimal.compare(row.high, row.open)).toBeGreaterThanOrEqual(0);
      expect(decimal.compare(row.high, row.close)).toBeGreaterThanOrEqual(0);
      expect(decimal.compare(row.low, row.open)).toBeLessThanOrEqual(0);
      expect(decimal.compare(row.low, row.close)).toBeLessThanOrEqual(0);
      if (index > 0) expect(row.open).toBe(rows[index - 1]?.close);
    }
    const count = await one<{ n: string }>(`SELECT count(*) AS n FROM candlesticks WHERE symbol = 'BNBUSDT'`);
    expect(Number(count.n)).toBe(24);
    // the same series again collides on (symbol, exchange, interval, time): the insert error surfaces
    await expect(
      factories.candlestick.series({ symbol: 'BNBUSDT', interval: '1h', count: 24, batchSize: 5 }),
    ).rejects.toMatchObject({ code: 'FACTORY_INSERT', sqlState: '23505' });
  });

  test('single candles: defaults never collide with series, bullish and bearish', async () => {
    const candles = await factories.candlestick.createList(3, { symbol: 'BNBUSDT' });
    expect(new Set(candles.map((candle) => candle.time.getTime())).size).toBe(3);
    const bullish = await factories.candlestick.with('bullish').create();
    expect(decimal.compare(bullish.close, bullish.open)).toBe(1);
    const bearish = await factories.candlestick.with('bearish').create();
    expect(decimal.compare(bearish.close, bearish.open)).toBe(-1);
    // explicit overrides win over traits
    const forced = factories.candlestick.with('bullish').build({ open: '10', close: '9', high: '10', low: '9' });
    expect(forced).toMatchObject({ open: '10', close: '9' });
  });

  test('series options are validated', async () => {
    await expect(
      factories.candlestick.series({ count: 2, interval: '1h', from: new Date('2024-01-01T00:30:00Z') }),
    ).rejects.toMatchObject({
      field: 'from',
    });
    await expect(factories.candlestick.series({ count: 2, interval: '7m' as never })).rejects.toBeInstanceOf(
      FactoryValidationError,
    );
    await expect(factories.candlestick.series({ count: 2, startPrice: 0 })).rejects.toMatchObject({
      field: 'startPrice',
    });
    await expect(factories.performanceMetric.series({ count: 2, interval: '7m' as never })).rejects.toMatchObject({
      field: 'interval',
    });
  });

  test('a tiny price never walks to zero', async () => {
    const rows = await factories.candlestick.series({
      symbol: 'TINY',
      count: 200,
      startPrice: 0.00000002,
      volatility: 0.9,
    });
    expect(rows.every((row) => decimal.compare(row.low, 0) > 0)).toBe(true);
  });
});
