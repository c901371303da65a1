import { describe, expect } from 'vitest';
import { ConstraintViolationError, NotFoundError } from '../../examples/repository/index.js';
import { test } from './support.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('trades', () => {
  test('insert takes session, symbol, exchange and side from the order and computes the quote exactly', async ({
    repos,
    factories,
  }) => {
    const session = await factories.tradingSession.create();
    const order = await factories.order.create({ session, symbol: 'ETHUSDT', side: 'SELL', exchange: 'KRAKEN' });
    const trade = await repos.trades.insert({ orderId: order.id, price: '0.1', quantity: '0.3' });
    expect(trade).toMatchObject({
      orderId: order.id,
      sessionId: session.id,
      symbol: 'ETHUSDT',
      exchange: 'KRAKEN',
      side: 'SELL',
      price: '0.10000000',
      quantity: '0.30000000',
      quoteQuantity: '0.03000000',
      commission: '0.00000000',
      commissionAsset: null,
      exchangeTradeId: null,
      isMaker: false,
      metadata: {},
    });
    expect(trade.executedAt).toBeInstanceOf(Date);
  });

  test('insert keeps every given field', async ({ repos, factories }) => {
    const order = await factories.order.create();
    const executedAt = new Date('2024-05-01T10:00:00Z');
    const trade = await repos.trades.insert({
      orderId: order.id,
      price: '30000.12345678',
      quantity: '0.5',
      quoteQuantity: '15000.06',
      commission: '0.0005',
      commissionAsset: 'BNB',
      exchangeTradeId: 't-9',
      executedAt,
      isMaker: true,
      metadata: { venue: 'spot' },
    });
    expect(trade).toMatchObject({
      quoteQuantity: '15000.06000000',
      commission: '0.00050000',
      commissionAsset: 'BNB',
      exchangeTradeId: 't-9',
      executedAt,
      isMaker: true,
      metadata: { venue: 'spot' },
    });
  });

  test('insert for an unknown order is a NotFoundError naming the order', async ({ repos }) => {
    const error = await repos.trades.insert({ orderId: MISSING, price: '1', quantity: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ entity: 'order', id: MISSING });
  });

  test('insert refuses a non-positive price', async ({ repos, factories }) => {
    const order = await factories.order.create();
    await expect(repos.trades.insert({ orderId: order.id, price: '0', quantity: '1' })).rejects.toThrow(
      ConstraintViolationError,
    );
  });

  test('byOrder lists the fills of one order in execution order', async ({ repos, factories }) => {
    const order = await factories.order.create();
    const late = await factories.trade.create({ order, executedAt: new Date('2024-01-01T00:02:00Z') });
    const early = await factories.trade.create({ order, executedAt: new Date('2024-01-01T00:01:00Z') });
    await factories.trade.create();
    const fills = await repos.trades.byOrder(order.id);
    expect(fills.map((trade) => trade.id)).toEqual([early.id, late.id]);
    expect(fills.every((trade) => trade.orderId === order.id)).toBe(true);
    expect(await repos.trades.byOrder(MISSING)).toEqual([]);
  });

  test('bySession pages through the fills of all orders of a session', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const orders = await factories.order.createList(3, { session });
    const trades = await factories.trade.createList(3, (second) => ({
      order: orders[second],
      executedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, second)),
    }));
    const ids = trades.map((trade) => trade.id);
    await factories.trade.create();
    const first = await repos.trades.bySession(session.id, { limit: 2 });
    expect(first.items.map((trade) => trade.id)).toEqual(ids.slice(0, 2));
    expect(first.nextOffset).toBe(2);
    const rest = await repos.trades.bySession(session.id, { limit: 2, offset: 2 });
    expect(rest).toMatchObject({ items: [{ id: ids[2], sessionId: session.id }], nextOffset: null });
    expect((await repos.trades.bySession(session.id)).items).toHaveLength(3);
  });
});
