import type pg from 'pg';
import { expect, test } from '../../src/vitest/index.js';

/** The README's quick start, as written: application code that takes a pool. */
async function fillOrder(pool: pg.Pool, id: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      "UPDATE orders SET status = 'FILLED', executed_quantity = quantity, filled_at = now() WHERE id = $1",
      [id],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

test('fills an order', async ({ db, factories }) => {
  const order = await factories.order.create({ status: 'NEW' });
  await fillOrder(db.pool, order.id);
  const trades = await factories.trade.createList(3, { order });
  expect(trades).toHaveLength(3);
  expect(trades.every((trade) => trade.orderId === order.id && trade.sessionId === order.sessionId)).toBe(true);
  const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [order.id]);
  expect(rows).toEqual([{ status: 'FILLED' }]);
});

test('and the next test starts from the clean template', async ({ db }) => {
  const { rows } = await db.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM orders)::int + (SELECT count(*) FROM trades)::int AS n',
  );
  expect(rows[0]?.n).toBe(0);
});
