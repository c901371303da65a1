const { useTestDatabase } = require('timescale-testkit/jest');

const tk = useTestDatabase({ isolation: 'truncate' });

test('truncate isolation commits for real', async () => {
  await tk.db.query(
    "INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'ETHUSDT', 'BUY', 0.9)",
  );
  const other = await tk.db.pool.connect();
  const { rows } = await other.query('SELECT count(*)::int AS n FROM agent_signals');
  other.release();
  expect(rows[0].n).toBe(1);
});

test('and the next test finds the tables empty', async () => {
  const { rows } = await tk.db.query('SELECT count(*)::int AS n FROM agent_signals');
  expect(rows[0].n).toBe(0);
});
