import { test as base, expect } from '../../../src/vitest/index.js';

const test = base.override({ isolation: 'transaction' });
const names = async (db: { query: (sql: string) => Promise<{ rows: { name: string }[] }> }) =>
  (await db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

test('a: writes', async ({ db }) => {
  expect(db.isolation).toBe('transaction');
  await db.query("INSERT INTO agent_status (name, type, status) VALUES ('a-1', 'probe', 'RUNNING')");
  expect(await names(db)).toEqual(['a-1']);
});

test('a: the next test sees none of it, nor the other file', async ({ db }) => {
  expect(await names(db)).toEqual([]);
  await db.query("INSERT INTO agent_status (name, type, status) VALUES ('a-2', 'probe', 'RUNNING')");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await names(db)).toEqual(['a-2']);
});

test('fails on purpose', async ({ factories }) => {
  await factories.agentStatus.create({ name: 'evidence' });
  expect('the failure').toBe('kept for inspection');
});
