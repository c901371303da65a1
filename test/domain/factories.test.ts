import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lintFactories, realizedPnl } from '../../src/domain/index.js';
import { REFERENCE_DATE } from '../../src/factories/index.js';
import { createFactories, decimal, defineFactory, type Factories } from '../../src/index.js';
import { schemaDatabase, REFERENCE_TABLES as TABLES } from '../support/server.js';

type Table = (typeof TABLES)[number];

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;
let factories: Factories;

async function one<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T> {
  const { rows } = await pool.query<T>(sql, values);
  return rows[0] as T;
}

async function counts(): Promise<Record<Table, number>> {
  const result = {} as Record<Table, number>;
  for (const table of TABLES)
    result[table] = Number((await one<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).n);
  return result;
}

beforeAll(async () => {
  database = await schemaDatabase('domain');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  factories = createFactories(pool, { seed: 1234 });
});

afterAll(async () => {
  await factories.end();
  await pool.end();
  await database.drop();
});

describe('lint', () => {
  test('every factory and every trait creates rows the schema accepts', async () => {
    const report = await lintFactories(pool, {
      seed: 99,
      combinations: {
        order: [
          ['limit', 'filled'],
          ['limit', 'partiallyFilled'],
          ['stopLoss', 'canceled'],
          ['market', 'rejected'],
        ],
        position: [
          ['short', 'closed', 'withStops'],
          ['long', 'closed'],
        ],
        tradingSession: [['live', 'stopped']],
        llmDecision: [['success', 'withoutEmbedding']],
      },
    });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    const names = new Set(report.checked.map((kase) => kase.factory));
    expect(names).toEqual(
      new Set([
        'tradingSession',
        'position',
        'order',
        'trade',
        'agentStatus',
        'agentSignal',
        'llmDecision',
        'candlestick',
        'performanceMetric',
      ]),
    );
    expect(report.checked).toContainEqual({ factory: 'order', traits: ['partiallyFilled'] });
    expect(report.checked).toContainEqual({ factory: 'agentStatus', traits: ['staleHeartbeat'] });
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  });

  test('lints your own factories too, with or without the domain', async () => {
    const broken = defineFactory<{ name: string; type: string; status: string }, { traits: 'bogus' }>({
      name: 'brokenAgent',
      table: 'agent_status',
      defaults: ({ faker }) => ({ name: faker.string.uuid(), type: 'x', status: 'RUNNING' }),
      traits: { bogus: { attributes: { status: 'SLEEPING' } } },
    });
    const report = await lintFactories(database.url, { factories: [broken], domain: false });
    expect(report.checked).toHaveLength(2);
    expect(report.failures).toEqual([
      expect.objectContaining({ factory: 'brokenAgent', traits: ['bogus'], sqlState: '23514' }),
    ]);
  });
});

describe('associations', () => {
  test('an order creates its session and copies its symbol', async () => {
    const before = await counts();
    const order = await factories.order.create({ status: 'NEW' });
    const after = await counts();
    expect(after.trading_sessions).toBe(before.trading_sessions + 1);
    const session = await one<{ symbol: string }>('SELECT symbol FROM trading_sessions WHERE id = $1', [
      order.sessionId,
    ]);
    expect(order.symbol).toBe(session.symbol);
  });

  test('trade.createList(3, { order }) shares the order, its session, side and symbol', async () => {
    const order = await factories.order.with('limit', 'filled').create();
    const trades = await factories.trade.createList(3, { order });
    expect(trades).toHaveLength(3);
    for (const trade of trades) {
      expect(trade).toMatchObject({
        orderId: order.id,
        sessionId: order.sessionId,
        side: order.side,
        symbol: order.symbol,
      });
      expect(trade.price).toBe(order.price);
      expect(trade.quoteQuantity).toBe(decimal.mul(trade.price, trade.quantity));
    }
    const wrong = await one<{ n: string }>(
      'SELECT count(*) AS n FROM trades WHERE order_id = $1 AND quote_quantity <> round(price * quantity, 8)',
      [order.id],
    );
    expect(Number(wrong.n)).toBe(0);
  });

  test('a trade without an order creates order and session level by level', async () => {
    const before = await counts();
    const trades = await factories.trade.with('maker').createList(5);
    const after = await counts();
    expect(after.orders - before.orders).toBe(5);
    expect(after.trading_sessions - before.trading_sessions).toBe(5);
    expect(trades.every((trade) => trade.isMaker)).toBe(true);
  });

  test('build inserts nothing, parents included', async () => {
    const before = await counts();
    const built = factories.trade.build();
    expect(built.orderId).toMatch(/^[0-9a-f-]{36}$/);
    factories.order.buildList(3);
    factories.llmDecision.build({}, { traits: ['success'] });
    factories.position.with('closed').build();
    factories.candlestick.build();
    factories.performanceMetric.build();
    factories.agentStatus.build();
    factories.agentSignal.build();
    expect(await counts()).toEqual(before);
  });

  test('graph: sessions with orders with trades; trades split each order exactly', async () => {
    const graph = await factories.graph({ sessions: 2, ordersPerSession: 3, tradesPerOrder: 2 });
    expect(graph.sessions).toHaveLength(2);
    expect(graph.orders).toHaveLength(6);
    expect(graph.trades).toHaveLength(12);
    const mismatched = await one<{ n: string }>(
      `SELECT count(*) AS n FROM orders o
        WHERE o.id = ANY($1::uuid[])
          AND o.executed_quantity <> (SELECT sum(t.quantity) FROM trades t WHERE t.order_id = o.id)`,
      [graph.orders.map((order) => order.id)],
    );
    expect(Number(mismatched.n)).toBe(0);
    expect(new Set(graph.orders.map((order) => order.sessionId))).toEqual(new Set(graph.sessions.map((s) => s.id)));
  });
});

describe('traits keep the invariants', () => {
  test('sessions: paper, live, stopped with consistent capital', async () => {
    expect((await factories.tradingSession.with('live').create()).mode).toBe('LIVE');
    expect((await factories.tradingSession.with('paper').create()).mode).toBe('PAPER');
    const stopped = await factories.tradingSession.with('stopped').create();
    expect(stopped.stoppedAt?.getTime()).toBeGreaterThan(stopped.startedAt.getTime());
    expect(stopped.finalCapital).toBe(decimal.add(stopped.initialCapital, stopped.totalPnl));
    expect(stopped.winningTrades + stopped.losingTrades).toBe(stopped.totalTrades);
  });

  test('orders: market, limit, stopLoss, filled, partiallyFilled, canceled, rejected', async () => {
    const limit = await factories.order.with('limit').create();
    expect(limit).toMatchObject({ type: 'LIMIT', timeInForce: 'GTC', status: 'NEW' });
    expect(Number(limit.price)).toBeGreaterThan(0);
    const stop = await factories.order.with('stopLoss').create({ side: 'SELL' });
    expect(stop.type).toBe('STOP_LOSS');
    expect(Number(stop.stopPrice)).toBeGreaterThan(0);
    const filled = await factories.order.with('limit', 'filled').create();
    expect(filled.executedQuantity).toBe(filled.quantity);
    expect(filled.filledAt?.getTime()).toBeGreaterThanOrEqual(filled.placedAt.getTime());
    expect(filled.executedQuoteQuantity).toBe(decimal.mul(filled.price ?? '0', filled.quantity));
    const market = await factories.order.with('market', 'filled').create({}, { transient: { fillPrice: '100.25' } });
    expect(market.price).toBeNull();
    expect(market.executedQuoteQuantity).toBe(decimal.mul('100.25', market.quantity));
    const partial = await factories.order.with('partiallyFilled').create({ quantity: '2.0000' });
    expect(decimal.compare(partial.executedQuantity, 0)).toBe(1);
    expect(decimal.compare(partial.executedQuantity, partial.quantity)).toBe(-1);
    const canceled = await factories.order.with('canceled').create();
    expect(canceled.canceledAt).toBeInstanceOf(Date);
    const rejected = await factories.order.with('rejected').create();
    expect(rejected.errorMessage).toBeTruthy();
    const badQuote = await one<{ n: string }>(
      `SELECT count(*) AS n FROM orders
        WHERE type = 'LIMIT' AND executed_quote_quantity <> round(price * executed_quantity, 8)`,
    );
    expect(Number(badQuote.n)).toBe(0);
  });

  test('positions: long, short, closed with exact realized PnL, withStops on the right side', async () => {
    const long = await factories.position.with('long', 'closed').create();
    const short = await factories.position.with('short', 'closed').create();
    for (const position of [long, short]) {
      expect(position.exitPrice).not.toBeNull();
      expect(position.exitTime?.getTime()).toBeGreaterThanOrEqual(position.entryTime.getTime());
      expect(position.realizedPnl).toBe(
        realizedPnl(position.side, position.entryPrice, position.exitPrice ?? '', position.quantity, position.fees),
      );
    }
    const inconsistent = await one<{ n: string }>(
      `SELECT count(*) AS n FROM positions WHERE exit_price IS NOT NULL AND realized_pnl <> round(
         CASE side WHEN 'LONG' THEN (exit_price - entry_price) * quantity
                   WHEN 'SHORT' THEN (entry_price - exit_price) * quantity ELSE 0 END - fees, 8)`,
    );
    expect(Number(inconsistent.n)).toBe(0);
    const longStops = await factories.position.with('withStops').create();
    expect(Number(longStops.stopLoss)).toBeLessThan(Number(longStops.entryPrice));
    expect(Number(longStops.takeProfit)).toBeGreaterThan(Number(longStops.entryPrice));
    const shortStops = await factories.position.with('withStops', 'short').create();
    expect(Number(shortStops.stopLoss)).toBeGreaterThan(Number(shortStops.entryPrice));
    expect(Number(shortStops.takeProfit)).toBeLessThan(Number(shortStops.entryPrice));
    const open = await factories.position.create();
    expect(open).toMatchObject({ exitPrice: null, exitTime: null, realizedPnl: null });
  });

  test('agents: running, stopped, errored, staleHeartbeat; signals with confidence in [0, 1]', async () => {
    const [running, stopped, errored, stale] = await Promise.all([
      factories.agentStatus.with('running').create(),
      factories.agentStatus.with('stopped').create(),
      factories.agentStatus.with('errored').create(),
      factories.agentStatus.with('staleHeartbeat').create(),
    ]);
    expect(running?.status).toBe('RUNNING');
    expect(stopped).toMatchObject({ status: 'STOPPED', pid: null });
    expect(errored?.status).toBe('ERROR');
    expect(errored?.errorMessage).toBeTruthy();
    expect(REFERENCE_DATE.getTime() - (stale?.lastHeartbeat.getTime() ?? 0)).toBeGreaterThanOrEqual(3_600_000);
    expect(REFERENCE_DATE.getTime() - running.lastHeartbeat.getTime()).toBeLessThan(60_000);
    for (const signal of ['buy', 'sell', 'hold'] as const) {
      const row = await factories.agentSignal.with(signal).create();
      expect(row.signal).toBe(signal.toUpperCase());
      expect(row.id).toBeTypeOf('number');
      expect(Number(row.confidence)).toBeGreaterThanOrEqual(0);
      expect(Number(row.confidence)).toBeLessThanOrEqual(1);
    }
  });

  test('llm decisions: embeddings of the column dimension, outcomes', async () => {
    const session = await factories.tradingSession.create();
    const decision = await factories.llmDecision.with('success').create({ session });
    expect(decision).toMatchObject({ outcome: 'SUCCESS', sessionId: session.id });
    expect(decision.embedding).toHaveLength(1536);
    const dims = await one<{ dims: number }>('SELECT vector_dims(embedding) AS dims FROM llm_decisions WHERE id = $1', [
      decision.id,
    ]);
    expect(dims.dims).toBe(1536);
    expect((await factories.llmDecision.with('failure').create()).pnl?.startsWith('-')).toBe(true);
    expect((await factories.llmDecision.with('neutral').create()).outcome).toBe('NEUTRAL');
    expect((await factories.llmDecision.with('pending', 'withoutEmbedding').create()).embedding).toBeNull();
    expect((await factories.llmDecision.create()).sessionId).toBeNull();
  });

  test('performance metrics: a series per session, contiguous', async () => {
    const session = await factories.tradingSession.create();
    const rows = await factories.performanceMetric.series({ session, metrics: ['equity', 'drawdown'], count: 24 });
    expect(rows).toHaveLength(48);
    expect(rows.every((row) => row.sessionId === session.id)).toBe(true);
    const gaps = await one<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT time - lag(time) OVER (PARTITION BY metric ORDER BY time) AS gap
           FROM performance_metrics WHERE session_id = $1) g
        WHERE gap <> interval '1 hour'`,
      [session.id],
    );
    expect(Number(gaps.n)).toBe(0);
    const own = await factories.performanceMetric.series({ count: 3, interval: '1d', session: session.id });
    expect(own.map((row) => row.time.getTime() - (own[0]?.time.getTime() ?? 0))).toEqual([0, 86_400_000, 172_800_000]);
    const fresh = await factories.performanceMetric.series({ count: 2 });
    expect(fresh[0]?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const loose = await factories.performanceMetric.series({ count: 1, session: null, metrics: ['x'] });
    expect(loose[0]?.sessionId).toBeNull();
    for (const trait of factories.performanceMetric.traitNames) {
      expect((await factories.performanceMetric.with(trait).create()).metric).toBeTruthy();
    }
  });

  test('use() binds your own factory to the same database and seed', async () => {
    const note = defineFactory<{ name: string; type: string; status: 'RUNNING' }>({
      table: 'agent_status',
      defaults: ({ sequence }) => ({ name: `note-${sequence}`, type: 'note', status: 'RUNNING' }),
    });
    const bound = factories.use(note);
    expect(bound.context).toBe(factories.context);
    expect((await bound.create()).name).toBe('note-1');
    expect(factories.seed).toBe(1234);
    expect(factories.refDate).toEqual(REFERENCE_DATE);
  });
});

describe('the catalog', () => {
  test('is read once per database; forgetColumns() reads it again after DDL', async () => {
    const fresh = createFactories(pool, { seed: 99 });
    const before = await fresh.agentStatus.create();
    expect(before).not.toHaveProperty('note');
    await pool.query("ALTER TABLE agent_status ADD COLUMN note text NOT NULL DEFAULT 'added later'");
    try {
      expect(await fresh.agentStatus.create()).not.toHaveProperty('note');
      fresh.forgetColumns();
      expect(await fresh.agentStatus.create()).toMatchObject({ note: 'added later' });
    } finally {
      await pool.query('ALTER TABLE agent_status DROP COLUMN note');
      fresh.forgetColumns();
    }
  });
});
