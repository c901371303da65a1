const { useTestDatabase } = require('timescale-testkit/jest');

const testkit = useTestDatabase({ isolation: 'truncate', factories: true });
const names = async () =>
  (await testkit.db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

test('b: writes', async () => {
  expect(testkit.db.isolation).toBe('truncate');
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('b-1', 'probe', 'RUNNING')");
  expect(await names()).toEqual(['b-1']);
});

test('b: the next test sees none of it, nor the other file', async () => {
  expect(await names()).toEqual([]);
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('b-2', 'probe', 'RUNNING')");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await names()).toEqual(['b-2']);
});
