import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { orderFactory } from '../../src/domain/index.js';
import { createFactories, type Factories, FactoryInsertError, FactoryValidationError } from '../../src/index.js';
import { beginTestTransaction } from '../../src/isolation/index.js';
import { schemaDatabase, REFERENCE_TABLES as TABLES } from '../support/server.js';

// The trading factories on hostile input: nothing half-written, every error typed and named.

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;
let factories: Factories;
const invalid = new Date('x');

async function total(db: { query: pg.Pool['query'] } = pool): Promise<number> {
  const sql = TABLES.map((table) => `(SELECT count(*) FROM ${table})`).join(' + ');
  const { rows } = await db.query<{ n: number }>(`SELECT (${sql})::int AS n`);
  return rows[0]?.n ?? -1;
}

beforeAll(async () => {
  database = await schemaDatabase('domain_values');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  factories = createFactories(pool, { seed: 77 });
});

beforeEach(async () => {
  await pool.query(`TRUNCATE ${TABLES.join(', ')}`);
});

afterAll(async () => {
  await factories.end();
  await pool.end();
  await database.drop();
});

describe('the issue: order input that escaped the typed errors', () => {
  test('order.build({ createdAt: Invalid Date }) is a FactoryValidationError', () => {
    expect(() => orderFactory.build({ createdAt: invalid })).toThrow(FactoryValidationError);
    expect(() => factories.order.build({ createdAt: invalid })).toThrow(/order: createdAt must be a valid Date/);
  });

  test('order.create({ createdAt: Invalid Date }) names the field and writes nothing, not even the session', async () => {
    const error = await factories.order.create({ createdAt: invalid }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ factory: 'order', field: 'createdAt' });
    expect(await total()).toBe(0);
  });

  test('metadata with a circular reference, a BigInt or a function is a FactoryValidationError', async () => {
    const loop: Record<string, unknown> = {};
    loop.again = loop;
    for (const metadata of [loop, { size: 10n }, { callback: () => 1 }]) {
      const error = await factories.order.create({ metadata }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FactoryValidationError);
      expect(error).toMatchObject({ field: 'metadata' });
      expect(() => factories.trade.build({ metadata })).toThrow(FactoryValidationError);
    }
    expect(await total()).toBe(0);
  });

  test("createdAt: 'not a date' (22007) names the column; the session is rolled back", async () => {
    const error = await factories.order.create({ createdAt: 'not a date' as never }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toMatchObject({ sqlState: '22007', column: 'created_at', field: 'createdAt' });
    expect((error as Error).message).toMatch(/orders\.created_at/);
    expect(await total()).toBe(0);
  });

  test('quantity: 1e21 is refused before SQL, naming the field and the column type', async () => {
    const error = await factories.order.create({ quantity: 1e21 as never }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ field: 'quantity' });
    expect((error as Error).message).toMatch(/orders\.quantity is numeric\(24,8\)/);
    expect(await total()).toBe(0);
  });

  test('NaN and Infinity quantities are FactoryValidationErrors in build and create', async () => {
    expect(() => factories.trade.build({ price: Number.NaN as never })).toThrow(FactoryValidationError);
    expect(() => factories.trade.build({ price: 'cheap' })).toThrow(FactoryValidationError);
    const error = await factories.order
      .create({ quantity: Number.POSITIVE_INFINITY as never })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ field: 'quantity' });
    expect(await total()).toBe(0);
  });
});

describe('lists and graphs are all or nothing', () => {
  test('trade.createList: the bad row is named; no session, order or trade is left', async () => {
    const error = await factories.trade
      .createList(4, (index) => (index === 2 ? { executedAt: invalid } : {}))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ factory: 'trade', field: 'executedAt', row: 2 });
    const refused = await factories.trade
      .createList(4, (index) => ({ createdAt: (index === 3 ? 'soon' : '2024-01-01T00:00:00Z') as never }))
      .catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ factory: 'trade', column: 'created_at', row: 3 });
    expect(await total()).toBe(0);
  });

  test('graph(): a level the schema refuses leaves no rows of the levels before it', async () => {
    await pool.query('ALTER TABLE trades ADD CONSTRAINT no_trades_today CHECK (false) NOT VALID');
    try {
      const error = await factories.graph({ sessions: 2, ordersPerSession: 2 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FactoryInsertError);
      expect(error).toMatchObject({ factory: 'trade', constraint: 'no_trades_today' });
      expect(await total()).toBe(0);
      const transaction = await beginTestTransaction(pool);
      try {
        const pinned = createFactories(transaction.pool, { seed: 78 });
        await expect(pinned.graph({ sessions: 1 })).rejects.toMatchObject({ constraint: 'no_trades_today' });
        expect(await total(transaction.pool)).toBe(0);
        expect((await pinned.graph({ sessions: 1, tradesPerOrder: 0 })).orders).toHaveLength(3);
        expect(await total(transaction.pool)).toBe(4);
      } finally {
        await transaction.rollback();
      }
    } finally {
      await pool.query('ALTER TABLE trades DROP CONSTRAINT no_trades_today');
    }
    const graph = await factories.graph({ sessions: 2, ordersPerSession: 2, tradesPerOrder: 2 });
    expect(graph.trades).toHaveLength(8);
    expect(await total()).toBe(2 + 4 + 8);
  });

  test('graph() with invalid session overrides writes nothing', async () => {
    const error = await factories
      .graph({ sessions: 3, sessionOverrides: (index) => (index === 1 ? { startedAt: invalid } : {}) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ factory: 'tradingSession', field: 'startedAt', row: 1 });
    await expect(factories.graph({ sessions: -1 })).rejects.toMatchObject({ factory: 'graph', field: 'sessions' });
    await expect(factories.graph({ tradesPerOrder: 1.5 })).rejects.toMatchObject({ field: 'tradesPerOrder' });
    expect(await total()).toBe(0);
  });
});

describe('series', () => {
  test('candle series options are checked before anything is written', async () => {
    const bad = [
      [{ count: 10, from: invalid }, 'from'],
      [{ count: 10, volatility: Number.NaN }, 'volatility'],
      [{ count: 10, startPrice: Number.POSITIVE_INFINITY }, 'startPrice'],
      [{ count: -1 }, 'count'],
      [{ count: 1.5 }, 'count'],
    ] as const;
    for (const [options, field] of bad) {
      const error = await factories.candlestick.series(options).catch((caught: unknown) => caught);
      expect(error, field).toBeInstanceOf(FactoryValidationError);
      expect(error).toMatchObject({ factory: 'candlestick', field });
    }
    expect(await total()).toBe(0);
  });

  test('a candle series the database refuses half-way leaves nothing behind', async () => {
    const from = new Date('2024-03-01T00:00:00Z');
    // the 5th batch collides with a candle already there
    await factories.candlestick.create({ time: new Date(from.getTime() + 9 * 60_000), symbol: 'ETHUSDT' });
    const error = await factories.candlestick
      .series({ symbol: 'ETHUSDT', from, count: 12, batchSize: 2, returning: false })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toMatchObject({ sqlState: '23505', row: 9 });
    expect(await total()).toBe(1);
    // the same through COPY (one COPY for the whole series): the row named, nothing left
    const copied = await factories.candlestick
      .series({ symbol: 'ETHUSDT', from, count: 2_500, copyThreshold: 0 })
      .catch((caught: unknown) => caught);
    expect(copied).toBeInstanceOf(FactoryInsertError);
    expect(copied).toMatchObject({ sqlState: '23505', row: 9 });
    expect(await total()).toBe(1);
  });

  test('metric series: bad options write no session; insertMany names the row', async () => {
    await expect(factories.performanceMetric.series({ count: 3, from: invalid })).rejects.toMatchObject({
      field: 'from',
    });
    await expect(factories.performanceMetric.series({ count: 3, start: Number.NaN })).rejects.toMatchObject({
      field: 'start',
    });
    const rows = factories.performanceMetric
      .buildList(3)
      .map((row, index) => (index === 1 ? { ...row, time: invalid } : row));
    await expect(factories.performanceMetric.insertMany(rows)).rejects.toMatchObject({ field: 'time', row: 1 });
    expect(await total()).toBe(0);
  });
});
