import { test as base, expect } from '../../../src/vitest/index.js';

const test = base.override({ isolation: 'truncate' });
const names = async (db: { query: (sql: string) => Promise<{ rows: { name: string }[] }> }) =>
  (await db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

test('b: writes', async ({ db }) => {
  expect(db.isolation).toBe('truncate');
  await db.query("INSERT INTO agent_status (name, type, status) VALUES ('b-1', 'probe', 'RUNNING')");
  expect(await names(db)).toEqual(['b-1']);
});

test('b: the next test sees none of it, nor the other file', async ({ db }) => {
  expect(await names(db)).toEqual([]);
  await db.query("INSERT INTO agent_status (name, type, status) VALUES ('b-2', 'probe', 'RUNNING')");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await names(db)).toEqual(['b-2']);
});
