// test/positions.test.js
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { useTestDatabase } from 'timescale-testkit/node-test'
import { openExposure } from '../src/positions.js'

const testkit = useTestDatabase({ factories: true }) // a clone for this file, a transaction per test

test('sums the open positions of a session', async () => {
  const { factories } = testkit
  const session = await factories.tradingSession.create({ symbol: 'BTCUSDT' })
  await factories.position.create({ session, symbol: 'BTCUSDT', quantity: '0.5', entryPrice: '60000' })
  await factories.position.create({ session, symbol: 'BTCUSDT', quantity: '0.25', entryPrice: '64000' })
  await factories.position.create({ session, symbol: 'BTCUSDT' }, { traits: ['closed'] }) // not counted

  const exposure = await openExposure(testkit.db.pool, session.id)
  assert.deepEqual(exposure, [{ symbol: 'BTCUSDT', exposure: '46000.00' }])
})

test('starts from a clean database', async () => {
  const { rows } = await testkit.db.query('SELECT count(*)::int AS n FROM positions')
  assert.equal(rows[0].n, 0) // the other test's rows were rolled back
})
