import pg from 'pg';
import { describe, expect } from 'vitest';
import {
  ConstraintViolationError,
  type NewCandle,
  RepositoryError,
  ValidationError,
} from '../../examples/repository/index.js';
import { decimal } from '../../src/index.js';
import { test } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const minute = (n: number) => new Date(T0 + n * 60_000);

/** A 1m BTCUSDT candle at minute n; prices as given, high/low around them. */
function candle(n: number, open: string, close: string, high: string, low: string, volume = '1'): NewCandle {
  return { time: minute(n), symbol: 'BTCUSDT', interval: '1m', open, high, low, close, volume, tradesCount: n + 1 };
}

describe('candles (hypertable)', () => {
  test('insertMany writes every candle in one statement and range reads them back exactly', async ({ repos }) => {
    const candles = Array.from({ length: 10_000 }, (_, n) => candle(n, '100.1', '100.2', '100.3', '100', '0.00000001'));
    // 10,000 rows × 10 columns would be 100,000 parameters row by row: over the protocol's 65,535
    expect(await repos.candles.insertMany(candles)).toBe(10_000);
    const window = await repos.candles.range('BTCUSDT', '1m', minute(10), minute(13));
    expect(window).toEqual(
      [10, 11, 12].map((n) => ({
        time: minute(n),
        symbol: 'BTCUSDT',
        exchange: 'BINANCE',
        interval: '1m',
        open: '100.10000000',
        high: '100.30000000',
        low: '100.00000000',
        close: '100.20000000',
        volume: '0.00000001',
        tradesCount: n + 1,
      })),
    );
  });

  test('the candles land in TimescaleDB chunks of 7 days', async ({ db, repos }) => {
    const day = 24 * 60;
    await repos.candles.insertMany([0, 8, 16].map((week) => candle(week * day, '1', '1', '1', '1')));
    const { rows } = await db.pool.query<{ chunks: number }>(
      "SELECT count(*)::int AS chunks FROM show_chunks('candlesticks')",
    );
    expect(rows[0]?.chunks).toBe(3);
  });

  test('insertMany of nothing writes nothing', async ({ repos }) => {
    expect(await repos.candles.insertMany([])).toBe(0);
  });

  test('a duplicate candle is an error by default, or ignored, or updated', async ({ repos }) => {
    await repos.candles.insertMany([candle(0, '10', '11', '12', '9')]);
    const again = [candle(0, '20', '21', '22', '19'), candle(1, '20', '21', '22', '19')];
    const error = await repos.candles.insertMany(again).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error).toMatchObject({ entity: 'candlestick', sqlState: '23505' });

    expect(await repos.candles.insertMany(again, { onConflict: 'ignore' })).toBe(1);
    const kept = await repos.candles.range('BTCUSDT', '1m', minute(0), minute(2));
    expect(kept.map((c) => c.close)).toEqual(['11.00000000', '21.00000000']);

    expect(await repos.candles.insertMany([candle(0, '30', '31', '32', '29', '5')], { onConflict: 'update' })).toBe(1);
    const [updated] = await repos.candles.range('BTCUSDT', '1m', minute(0), minute(1));
    expect(updated).toMatchObject({ open: '30.00000000', close: '31.00000000', volume: '5.00000000' });
  });

  test('insertMany refuses an inconsistent candle (high below low)', async ({ repos }) => {
    await expect(repos.candles.insertMany([candle(0, '10', '10', '9', '11')])).rejects.toMatchObject({
      sqlState: '23514',
    });
  });

  test('range keeps to symbol, interval, exchange and [from, to)', async ({ repos }) => {
    await repos.candles.insertMany([
      candle(0, '1', '1', '1', '1'),
      candle(1, '2', '2', '2', '2'),
      candle(2, '3', '3', '3', '3'),
      { ...candle(1, '4', '4', '4', '4'), symbol: 'ETHUSDT' },
      { ...candle(1, '5', '5', '5', '5'), interval: '5m' },
      { ...candle(1, '6', '6', '6', '6'), exchange: 'KRAKEN' },
    ]);
    const closes = async (...args: Parameters<typeof repos.candles.range>) =>
      (await repos.candles.range(...args)).map((c) => c.close);
    expect(await closes('BTCUSDT', '1m', minute(0), minute(2))).toEqual(['1.00000000', '2.00000000']);
    expect(await closes('BTCUSDT', '1m', minute(1), minute(3))).toEqual(['2.00000000', '3.00000000']);
    expect(await closes('ETHUSDT', '1m', minute(0), minute(3))).toEqual(['4.00000000']);
    expect(await closes('BTCUSDT', '5m', minute(0), minute(3))).toEqual(['5.00000000']);
    expect(await closes('BTCUSDT', '1m', minute(0), minute(3), 'KRAKEN')).toEqual(['6.00000000']);
  });

  test('ohlcv aggregates with time_bucket: first open, max high, min low, last close, sums', async ({ repos }) => {
    // inserted out of order: first/last follow time, not insertion
    await repos.candles.insertMany([
      candle(4, '104', '105', '106', '103', '0.4'),
      candle(0, '100', '101', '102', '99.5', '0.1'),
      candle(2, '102', '103', '110.25', '101', '0.2'),
      candle(1, '101', '102', '103', '100', '0.2'),
      candle(3, '103', '104', '105', '98.75', '0.1'),
      candle(5, '105', '104', '106', '103', '1'),
      candle(9, '109', '108.5', '109', '107', '2'),
      candle(7, '107', '108', '111', '106', '0.5'),
      { ...candle(6, '999', '999', '999', '999'), interval: '5m' },
    ]);
    const bars = await repos.candles.ohlcv('BTCUSDT', { bucket: '5 minutes', from: minute(0), to: minute(10) });
    expect(bars).toEqual([
      {
        bucket: minute(0),
        open: '100.00000000',
        high: '110.25000000',
        low: '98.75000000',
        close: '105.00000000',
        volume: '1.00000000',
        tradesCount: 1 + 2 + 3 + 4 + 5,
        candles: 5,
      },
      {
        bucket: minute(5),
        open: '105.00000000',
        high: '111.00000000',
        low: '103.00000000',
        close: '108.50000000',
        volume: '3.50000000',
        tradesCount: 6 + 8 + 10,
        candles: 3,
      },
    ]);
    const hour = await repos.candles.ohlcv('BTCUSDT', { bucket: '1 hour', from: minute(0), to: minute(60) });
    expect(hour).toMatchObject([{ bucket: minute(0), open: '100.00000000', close: '108.50000000', candles: 8 }]);
    const fiveMinute = await repos.candles.ohlcv('BTCUSDT', {
      bucket: '1 hour',
      interval: '5m',
      exchange: 'BINANCE',
      from: minute(0),
      to: minute(60),
    });
    expect(fiveMinute).toMatchObject([{ open: '999.00000000', candles: 1 }]);
  });

  test('range and ohlcv agree with a generated random walk, to the last decimal', async ({ repos, factories }) => {
    const series = { symbol: 'ETHUSDT', interval: '1m', from: minute(0), startPrice: 2_300 } as const;
    const walk = await factories.candlestick.series({ ...series, count: 120 });
    await factories.candlestick.series({ ...series, symbol: 'BTCUSDT', count: 60 });
    expect(await repos.candles.range('ETHUSDT', '1m', minute(0), minute(120))).toEqual(walk);

    const hours = [walk.slice(0, 60), walk.slice(60)].map((candles) => ({
      open: candles[0]?.open,
      high: candles.map((c) => c.high).reduce((a, b) => (decimal.compare(a, b) >= 0 ? a : b)),
      low: candles.map((c) => c.low).reduce((a, b) => (decimal.compare(a, b) <= 0 ? a : b)),
      close: candles.at(-1)?.close,
      volume: candles.reduce((sum, c) => decimal.add(sum, c.volume), '0'),
      tradesCount: candles.reduce((sum, c) => sum + c.tradesCount, 0),
      candles: 60,
    }));
    const bars = await repos.candles.ohlcv('ETHUSDT', { bucket: '1 hour', from: minute(0), to: minute(120) });
    expect(bars).toEqual(hours.map((hour, index) => ({ bucket: minute(index * 60), ...hour })));
  });

  test('ohlcv refuses an empty bucket; other database errors pass through untranslated', async ({ repos }) => {
    await expect(repos.candles.ohlcv('BTCUSDT', { bucket: ' ', from: minute(0), to: minute(1) })).rejects.toThrow(
      ValidationError,
    );
    const error = await repos.candles
      .ohlcv('BTCUSDT', { bucket: 'banana', from: minute(0), to: minute(1) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pg.DatabaseError);
    expect(error).not.toBeInstanceOf(RepositoryError);
    expect(error).toMatchObject({ code: '22007' });
  });

  test('insertMany defaults exchange and trades count', async ({ repos }) => {
    const { tradesCount: _, ...bare } = candle(0, '1', '1', '1', '1');
    expect(await repos.candles.insertMany([bare])).toBe(1);
    expect(await repos.candles.range('BTCUSDT', '1m', minute(0), minute(1))).toMatchObject([
      { exchange: 'BINANCE', tradesCount: 0 },
    ]);
  });
});
