// test/orders.test.ts
import { expect, test } from 'timescale-testkit/vitest'
import { fillOrder } from '../src/orders'

test('fills an order', async ({ db, factories }) => {
  const order = await factories.order.create({ status: 'NEW' })      // its session is created too
  await fillOrder(db.pool, order.id)                                   // your code, unchanged
  const { rows } = await db.query('SELECT status FROM orders WHERE id = $1', [order.id])
  expect(rows[0].status).toBe('FILLED')
  const trades = await factories.trade.createList(3, { order })       // one INSERT
  expect(trades).toHaveLength(3)
})                                                                      // rolled back afterwards

test('starts from a clean database', async ({ db }) => {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM orders')
  expect(rows[0].n).toBe(0)                                            // the other test's rows are gone
})
