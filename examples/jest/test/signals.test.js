// test/signals.test.js
const { useTestDatabase } = require('timescale-testkit/jest')
const { latestSignals } = require('../src/signals')

const testkit = useTestDatabase({ factories: true }) // a clone for this file, a transaction per test

test('reads the latest signal of each agent', async () => {
  const { factories } = testkit                    // bound to this test's database
  const at = (minute) => new Date(Date.UTC(2024, 0, 1, 12, minute))
  await factories.agentSignal.create({ agentName: 'risk', symbol: 'BTCUSDT', signal: 'BUY', createdAt: at(1) })
  await factories.agentSignal.create({ agentName: 'risk', symbol: 'BTCUSDT', signal: 'SELL', createdAt: at(2) })
  await factories.agentSignal.createList(3, { agentName: 'trend', symbol: 'ETHUSDT' })

  expect(await latestSignals(testkit.db.pool, 'BTCUSDT')).toEqual([{ agentName: 'risk', signal: 'SELL' }])
})

test('starts from a clean database', async () => {
  const { rows } = await testkit.db.query('SELECT count(*)::int AS n FROM agent_signals')
  expect(rows[0].n).toBe(0)                        // the other test's rows were rolled back
})
