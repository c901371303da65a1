import { describe, expect } from 'vitest';
import {
  ConstraintViolationError,
  canTransition,
  InvalidTransitionError,
  NotFoundError,
  ORDER_TRANSITIONS,
  type OrderStatus,
  type OrderStatusChange,
  poolStats,
  ValidationError,
} from '../../examples/repository/index.js';
import type { OrderTrait } from '../../src/domain/index.js';
import { test } from './support.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const STATUSES: OrderStatus[] = ['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];
/** The factory trait that puts a new order in each status (EXPIRED has none: given as an override). */
const TRAITS = {
  NEW: [],
  PARTIALLY_FILLED: ['partiallyFilled'],
  FILLED: ['filled'],
  CANCELED: ['canceled'],
  REJECTED: ['rejected'],
  EXPIRED: [],
} as const satisfies Record<OrderStatus, readonly OrderTrait[]>;
const CHANGES: OrderStatusChange[] = [
  { status: 'PARTIALLY_FILLED', executedQuantity: '0.5', executedQuoteQuantity: '50' },
  { status: 'FILLED', executedQuoteQuantity: '100' },
  { status: 'CANCELED' },
  { status: 'REJECTED', errorMessage: 'insufficient balance' },
  { status: 'EXPIRED' },
];

describe('orders', () => {
  test('insert places a NEW order with exact quantities', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const order = await repos.orders.insert({
      sessionId: session.id,
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '42000.5',
      quantity: '0.00000001',
      timeInForce: 'GTC',
      exchangeOrderId: 'ex-1',
      metadata: { source: 'test' },
    });
    expect(order).toMatchObject({
      sessionId: session.id,
      positionId: null,
      exchange: 'BINANCE',
      status: 'NEW',
      price: '42000.50000000',
      stopPrice: null,
      quantity: '0.00000001',
      executedQuantity: '0.00000000',
      executedQuoteQuantity: '0.00000000',
      timeInForce: 'GTC',
      exchangeOrderId: 'ex-1',
      filledAt: null,
      canceledAt: null,
      errorMessage: null,
      metadata: { source: 'test' },
    });
    expect(await repos.orders.get(order.id)).toEqual(order);
  });

  test('insert refuses a LIMIT order without price and an unknown session, typed', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const base = { symbol: 'BTCUSDT', side: 'SELL', quantity: '1' } as const;
    await expect(repos.orders.insert({ ...base, sessionId: session.id, type: 'LIMIT' })).rejects.toMatchObject({
      name: 'ConstraintViolationError',
      sqlState: '23514',
    });
    const error = await repos.orders.insert({ ...base, sessionId: MISSING, type: 'MARKET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error).toMatchObject({ entity: 'order', sqlState: '23503', constraint: 'orders_session_id_fkey' });
  });

  test('get of an unknown order is a NotFoundError', async ({ repos }) => {
    await expect(repos.orders.get(MISSING)).rejects.toMatchObject({
      name: 'NotFoundError',
      entity: 'order',
      id: MISSING,
    });
  });

  test('NEW -> PARTIALLY_FILLED -> PARTIALLY_FILLED -> FILLED records executed quantities', async ({
    repos,
    factories,
  }) => {
    const { id } = await factories.order.create({ quantity: '1.5' });
    const first = await repos.orders.updateStatus(id, {
      status: 'PARTIALLY_FILLED',
      executedQuantity: '0.5',
      executedQuoteQuantity: '50.1',
    });
    expect(first).toMatchObject({ status: 'PARTIALLY_FILLED', executedQuantity: '0.50000000', filledAt: null });
    const second = await repos.orders.updateStatus(id, {
      status: 'PARTIALLY_FILLED',
      executedQuantity: '1.2',
      executedQuoteQuantity: '120.3',
    });
    expect(second).toMatchObject({ executedQuantity: '1.20000000', executedQuoteQuantity: '120.30000000' });
    const filledAt = new Date('2024-03-01T12:00:00Z');
    const filled = await repos.orders.updateStatus(id, { status: 'FILLED', filledAt });
    expect(filled).toMatchObject({
      status: 'FILLED',
      executedQuantity: '1.50000000',
      executedQuoteQuantity: '120.30000000',
      filledAt,
      canceledAt: null,
    });
  });

  test('NEW -> FILLED executes the whole quantity at once', async ({ repos, factories }) => {
    const { id } = await factories.order.create({ quantity: '2' });
    const filled = await repos.orders.updateStatus(id, { status: 'FILLED', executedQuoteQuantity: '200.2' });
    expect(filled).toMatchObject({
      status: 'FILLED',
      executedQuantity: '2.00000000',
      executedQuoteQuantity: '200.20000000',
    });
    expect(filled.filledAt).toBeInstanceOf(Date);
  });

  test('CANCELED sets canceled_at and keeps what was executed', async ({ repos, factories }) => {
    const { id } = await factories.order.with('partiallyFilled').create({ quantity: '1', executedQuantity: '0.25' });
    const canceledAt = new Date('2024-03-02T00:00:00Z');
    const canceled = await repos.orders.updateStatus(id, { status: 'CANCELED', canceledAt });
    expect(canceled).toMatchObject({ status: 'CANCELED', canceledAt, executedQuantity: '0.25000000', filledAt: null });
    const now = await repos.orders.updateStatus((await factories.order.create()).id, { status: 'CANCELED' });
    expect(now.canceledAt).toBeInstanceOf(Date);
  });

  test('REJECTED keeps the error message, EXPIRED just ends the order', async ({ repos, factories }) => {
    const rejected = await repos.orders.updateStatus((await factories.order.create()).id, {
      status: 'REJECTED',
      errorMessage: 'MIN_NOTIONAL',
    });
    expect(rejected).toMatchObject({ status: 'REJECTED', errorMessage: 'MIN_NOTIONAL', canceledAt: null });
    const expired = await repos.orders.updateStatus((await factories.order.create()).id, { status: 'EXPIRED' });
    expect(expired).toMatchObject({ status: 'EXPIRED', errorMessage: null, filledAt: null, canceledAt: null });
  });

  test('every status pair follows ORDER_TRANSITIONS; the others throw InvalidTransitionError', async ({
    repos,
    factories,
  }) => {
    const session = await factories.tradingSession.create();
    let allowed = 0;
    for (const from of STATUSES) {
      for (const change of CHANGES) {
        // quantity 1, a quarter executed when partially filled: the CHANGES' 0.5 is a valid next fill
        const partial = from === 'PARTIALLY_FILLED' ? { executedQuantity: '0.25' } : {};
        const { id } = await factories.order.create(
          { session, quantity: '1', status: from, ...partial },
          { traits: TRAITS[from] },
        );
        if (canTransition(from, change.status)) {
          allowed++;
          expect((await repos.orders.updateStatus(id, change)).status).toBe(change.status);
        } else {
          const error = await repos.orders.updateStatus(id, change).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InvalidTransitionError);
          expect(error).toMatchObject({ entity: 'order', id, from, to: change.status });
          expect((await repos.orders.get(id)).status).toBe(from);
        }
      }
    }
    expect(allowed).toBe(9);
    expect(ORDER_TRANSITIONS.FILLED).toEqual([]);
    expect(canTransition('PARTIALLY_FILLED', 'REJECTED')).toBe(false);
  });

  test('partial fills must stay above 0, below the quantity and never go back', async ({ repos, factories }) => {
    const { id } = await factories.order.with('partiallyFilled').create({ quantity: '1', executedQuantity: '0.3' });
    const partial = (executedQuantity: string) =>
      repos.orders.updateStatus(id, { status: 'PARTIALLY_FILLED', executedQuantity, executedQuoteQuantity: '1' });
    for (const bad of ['0', '-1', '1', '1.00000001', '0.2']) {
      const error = await partial(bad).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ entity: 'order', field: 'executedQuantity' });
    }
    expect(await repos.orders.get(id)).toMatchObject({ status: 'PARTIALLY_FILLED', executedQuantity: '0.30000000' });
    expect((await partial('0.3')).executedQuantity).toBe('0.30000000');
  });

  test('updateStatus of an unknown order is a NotFoundError', async ({ repos }) => {
    await expect(repos.orders.updateStatus(MISSING, { status: 'EXPIRED' })).rejects.toThrow(NotFoundError);
  });

  test('bySession pages through a session in placement order', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    await factories.order.create();
    // inserted newest first: the page order comes from placed_at, not from insertion
    const orders = await factories.order.createList(5, (index) => ({
      session,
      placedAt: new Date(Date.UTC(2024, 0, 1, 0, 4 - index)),
    }));
    const ids = orders.map((order) => order.id).reverse();
    const first = await repos.orders.bySession(session.id, { limit: 2 });
    expect(first).toMatchObject({ limit: 2, offset: 0, nextOffset: 2 });
    expect(first.items.map((order) => order.id)).toEqual(ids.slice(0, 2));
    const second = await repos.orders.bySession(session.id, { limit: 2, offset: 2 });
    expect(second.items.map((order) => order.id)).toEqual(ids.slice(2, 4));
    const last = await repos.orders.bySession(session.id, { limit: 2, offset: 4 });
    expect(last).toMatchObject({ nextOffset: null, items: [{ id: ids[4] }] });
    const all = await repos.orders.bySession(session.id);
    expect(all).toMatchObject({ limit: 50, offset: 0, nextOffset: null });
    expect(all.items).toHaveLength(5);
    expect((await repos.orders.bySession(session.id, { offset: 10 })).items).toEqual([]);
  });

  test('pagination refuses bad limits and offsets', async ({ repos }) => {
    for (const page of [{ limit: 0 }, { limit: 1001 }, { limit: 1.5 }]) {
      await expect(repos.orders.bySession(MISSING, page)).rejects.toMatchObject({
        name: 'ValidationError',
        field: 'limit',
      });
    }
    await expect(repos.orders.bySession(MISSING, { offset: -1 })).rejects.toMatchObject({ field: 'offset' });
  });

  test('bySymbol lists newest first, optionally within a session and limited', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const a = await factories.order.create({ session, symbol: 'ETHUSDT', placedAt: new Date('2024-01-01') });
    const b = await factories.order.create({ symbol: 'ETHUSDT', placedAt: new Date('2024-01-02') });
    await factories.order.create({ session, symbol: 'BTCUSDT' });
    expect((await repos.orders.bySymbol('ETHUSDT')).map((order) => order.id)).toEqual([b.id, a.id]);
    expect((await repos.orders.bySymbol('ETHUSDT', { sessionId: session.id })).map((order) => order.id)).toEqual([
      a.id,
    ]);
    expect((await repos.orders.bySymbol('ETHUSDT', { limit: 1 })).map((order) => order.id)).toEqual([b.id]);
    expect(await repos.orders.bySymbol('DOGEUSDT')).toEqual([]);
  });

  test('byStatus and open filter by one or several statuses', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const fresh = await factories.order.create({ session, placedAt: new Date('2024-01-01') });
    const partial = await factories.order.with('partiallyFilled').create({ session, placedAt: new Date('2024-01-02') });
    const filled = await factories.order.with('filled').create({ session });
    const elsewhere = await factories.order.create();
    const ids = (orders: { id: string }[]) => orders.map((order) => order.id);
    expect(ids(await repos.orders.byStatus('FILLED'))).toEqual([filled.id]);
    expect(new Set(ids(await repos.orders.byStatus('NEW')))).toEqual(new Set([fresh.id, elsewhere.id]));
    expect(ids(await repos.orders.byStatus(['NEW', 'PARTIALLY_FILLED'], { sessionId: session.id }))).toEqual([
      fresh.id,
      partial.id,
    ]);
    expect(ids(await repos.orders.open(session.id))).toEqual([fresh.id, partial.id]);
    expect(await repos.orders.byStatus([])).toEqual([]);
  });

  // truncate isolation: the inserts really run concurrently on the clone's pool (max 5 connections)
  test.override({ isolation: 'truncate' })(
    '50 concurrent inserts through the pool: none lost, all distinct',
    async ({ db, repos, factories }) => {
      const session = await factories.tradingSession.create();
      const orders = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          repos.orders.insert({
            sessionId: session.id,
            symbol: 'BTCUSDT',
            side: index % 2 === 0 ? 'BUY' : 'SELL',
            type: 'MARKET',
            quantity: `0.${String(index + 1).padStart(2, '0')}`,
          }),
        ),
      );
      expect(new Set(orders.map((order) => order.id)).size).toBe(50);
      const { rows } = await db.pool.query<{ count: number; quantity: string }>(
        'SELECT count(*)::int AS count, sum(quantity)::text AS quantity FROM orders WHERE session_id = $1',
        [session.id],
      );
      // 0.01 + 0.02 + ... + 0.50 = 12.75, summed exactly in numeric
      expect(rows).toEqual([{ count: 50, quantity: '12.75000000' }]);
      expect((await repos.orders.bySession(session.id, { limit: 100 })).items).toHaveLength(50);
      const stats = poolStats(db.pool);
      expect(stats.total).toBeGreaterThan(1);
      expect(stats.total).toBeLessThanOrEqual(stats.max);
    },
  );
});
