// The adapters' behaviour suite through node:test, driven by test/adapters/adapters.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestDatabase } from 'timescale-testkit/node-test';

const testkit = useTestDatabase({ isolation: 'transaction', factories: true });
const names = async () =>
  (await testkit.db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

test('a: writes', async () => {
  assert.equal(testkit.db.isolation, 'transaction');
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('a-1', 'probe', 'RUNNING')");
  assert.deepEqual(await names(), ['a-1']);
});

test('a: the next test sees none of it, nor the other file', async () => {
  assert.deepEqual(await names(), []);
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('a-2', 'probe', 'RUNNING')");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(await names(), ['a-2']);
});

test('fails on purpose', async () => {
  await testkit.factories.agentStatus.create({ name: 'evidence' });
  assert.equal('the failure', 'kept for inspection');
});
