import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { candlestickFactory } from '../../src/domain/index.js';
import { copyBatches, decodeRow, tableInfo, toExecutor } from '../../src/factories/index.js';
import { createFactories, type Factories } from '../../src/index.js';
import { schemaDatabase } from '../support/server.js';

// The rows a bulk write returns without reading them back are the rows a read-back gives.

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;
let factories: Factories;

beforeAll(async () => {
  database = await schemaDatabase('domain_copy');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  factories = createFactories(pool, { seed: 2024 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** The table's rows as the kit reads them (every column, decoded), in `order`. */
async function readBack(table: string, order: string, where = 'true'): Promise<Record<string, unknown>[]> {
  const info = await tableInfo(toExecutor(pool), table);
  const { rows } = await pool.query(`SELECT ${info.returning} FROM ${info.sql} WHERE ${where} ORDER BY ${order}`);
  return rows.map((row) => decodeRow(info, row));
}

describe('rows returned by COPY', () => {
  test('a series COPY cannot serve goes through INSERT: a bare query function, a value only PostgreSQL knows', async () => {
    const bare = createFactories({ query: (text: string, values?: unknown[]) => pool.query(text, values) } as never, {
      seed: 5,
    });
    const from = new Date('2025-01-01T00:00:00Z');
    expect(await bare.candlestick.series({ symbol: 'BARE', count: 600, from, returning: false })).toBe(600);
    // a lone surrogate is stored as U+FFFD: the rows are read back, not echoed
    const odd = await factories.candlestick.series({ symbol: 'odd \uD800', count: 600, from });
    expect(odd[0]?.symbol).toBe('odd \uFFFD');
    expect(odd).toHaveLength(600);
  });

  test('generated batches of one shape: a later row that breaks it is a FactoryError, nothing left', async () => {
    const bound = factories.context;
    const time = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    const candle = (minute: number) => ({ ...factories.candlestick.build({ symbol: 'SHAPE' }), time: time(minute) });
    const broken: Record<string, unknown>[][] = [[candle(0), candle(1)], [{ ...candle(2), volume: undefined }]];
    const error = await bound
      .transaction((inner) => copyBatches(candlestickFactory.definition, inner, broken, { returning: false }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FACTORY_BUILD', factory: 'candlestick' });
    const unknown = [[candle(0)], [{ ...candle(1), symbol: 'lone \uD800' }]];
    const echoed = await bound
      .transaction((inner) => copyBatches(candlestickFactory.definition, inner, unknown, { returning: true }))
      .catch((caught: unknown) => caught);
    expect(echoed).toMatchObject({ code: 'FACTORY_BUILD' });
    const none = bound.transaction((inner) =>
      copyBatches(candlestickFactory.definition, inner, [], { returning: true }),
    );
    expect(await none).toEqual([]);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM candlesticks WHERE symbol = 'SHAPE'");
    expect(rows[0]?.n).toBe(0);
  });

  test('a candle series is the rows SELECT gives', async () => {
    const series = await factories.candlestick.series({ symbol: 'SOLUSDT', count: 2_000, interval: '5m' });
    expect(series).toHaveLength(2_000);
    expect(await readBack('candlesticks', 'time', "symbol = 'SOLUSDT'")).toEqual(series);
  });

  test('a metric series is the rows SELECT gives', async () => {
    const session = await factories.tradingSession.create();
    const series = await factories.performanceMetric.series({ session, count: 300, metrics: ['equity', 'drawdown'] });
    const byTime = (a: { time: Date; metric: string }, b: { time: Date; metric: string }) =>
      a.time.getTime() - b.time.getTime() || (a.metric < b.metric ? -1 : 1);
    expect(await readBack('performance_metrics', 'time, metric')).toEqual([...series].sort(byTime));
  });

  test('createList of every factory: the rows SELECT gives, database defaults included', async () => {
    const session = await factories.tradingSession.create();
    const lists = {
      trading_sessions: await factories.tradingSession.createList(600),
      orders: await factories.order.createList(700, { session }),
      positions: await factories.position.createList(600, { session }),
      agent_status: await factories.agentStatus.createList(600),
      agent_signals: await factories.agentSignal.createList(600),
      llm_decisions: await factories.llmDecision.createList(500),
    };
    const order = await factories.order.create({ session });
    const trades = await factories.trade.createList(600, { order });
    for (const [table, rows] of Object.entries({ ...lists, trades })) {
      const key = table === 'agent_status' ? 'name' : 'id';
      const back = new Map((await readBack(table, key)).map((row) => [row[key], row]));
      expect([table, rows.map((row) => back.get((row as unknown as Record<string, unknown>)[key]))]).toEqual([
        table,
        rows,
      ]);
    }
    // identities drawn in one round trip, in order
    const ids = lists.agent_signals.map((row) => row.id);
    expect(ids).toEqual(ids.map((_, index) => (ids[0] ?? 0) + index));
  });
});
