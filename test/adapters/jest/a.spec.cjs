const { useTestDatabase } = require('timescale-testkit/jest');

const testkit = useTestDatabase({ isolation: 'transaction', factories: true });
const names = async () =>
  (await testkit.db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

test('a: writes', async () => {
  expect(testkit.db.isolation).toBe('transaction');
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('a-1', 'probe', 'RUNNING')");
  expect(await names()).toEqual(['a-1']);
});

test('a: the next test sees none of it, nor the other file', async () => {
  expect(await names()).toEqual([]);
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('a-2', 'probe', 'RUNNING')");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await names()).toEqual(['a-2']);
});

test('fails on purpose', async () => {
  await testkit.factories.agentStatus.create({ name: 'evidence' });
  expect('the failure').toBe('kept for inspection');
});
