// The adapters' behaviour suite through node:test, driven by test/adapters/adapters.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestDatabase } from 'timescale-testkit/node-test';

const testkit = useTestDatabase({ isolation: 'truncate', factories: true });
const names = async () =>
  (await testkit.db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

test('b: writes', async () => {
  assert.equal(testkit.db.isolation, 'truncate');
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('b-1', 'probe', 'RUNNING')");
  assert.deepEqual(await names(), ['b-1']);
});

test('b: the next test sees none of it, nor the other file', async () => {
  assert.deepEqual(await names(), []);
  await testkit.db.query("INSERT INTO agent_status (name, type, status) VALUES ('b-2', 'probe', 'RUNNING')");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(await names(), ['b-2']);
});
