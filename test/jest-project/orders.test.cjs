const { useTestDatabase } = require('timescale-testkit/jest');

const tk = useTestDatabase({ factories: true });

async function placeOrder(pool, symbol) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const session = await client.query(
      "INSERT INTO trading_sessions (mode, symbol, initial_capital) VALUES ('PAPER', $1, 1000) RETURNING id",
      [symbol],
    );
    await client.query(
      "INSERT INTO orders (session_id, symbol, side, type, quantity) VALUES ($1, $2, 'BUY', 'MARKET', 1)",
      [session.rows[0].id, symbol],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

test('a repository transaction works inside the test transaction', async () => {
  await placeOrder(tk.db.pool, 'BTCUSDT');
  const { rows } = await tk.db.query('SELECT symbol FROM orders');
  expect(rows).toEqual([{ symbol: 'BTCUSDT' }]);
});

test('the next test starts from the migrated template, empty', async () => {
  const { rows } = await tk.db.query('SELECT count(*)::int AS n FROM orders');
  expect(rows[0].n).toBe(0);
  expect(tk.db.isolation).toBe('transaction');
});

test('factories write English words through the CommonJS build (its locale loaded on first use)', async () => {
  const signal = await tk.factories.agentSignal.create({ symbol: 'ETHUSDT' });
  expect(signal.reasoning).toMatch(/^[A-Z][a-z]+( [a-z]+)+\.$/);
  const { rows } = await tk.db.query('SELECT reasoning FROM agent_signals');
  expect(rows).toEqual([{ reasoning: signal.reasoning }]);
});
