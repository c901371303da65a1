import { describe, expect, test } from '../../src/vitest/index.js';

/** The tests of one soak file: factory writes and reads in both isolation modes. */
export function soakTests(): void {
  describe('writes and reads through factories', () => {
    for (let i = 0; i < 10; i++) {
      test(`an order graph ${i}`, async ({ db, factories }) => {
        const session = await factories.tradingSession.create();
        const orders = await factories.order.createList(20, { sessionId: session.id });
        await factories.trade.createList(20, { orderId: orders[0]?.id as string, sessionId: session.id });
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
        expect(rows[0]?.n).toBe(20);
      });
    }

    const truncating = test.override({ isolation: 'truncate' });
    for (let i = 0; i < 5; i++) {
      truncating(`candles committed, then truncated ${i}`, async ({ db, factories }) => {
        await factories.candlestick.series({ count: 500, symbol: 'BTCUSDT', interval: '1m' });
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM candlesticks');
        expect(rows[0]?.n).toBe(500);
      });
    }
  });
}
