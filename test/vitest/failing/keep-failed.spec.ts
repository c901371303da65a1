import { expect, test } from '../../../src/vitest/index.js';

test('fails after writing through a factory', async ({ db, factories }) => {
  await factories.agentStatus.create({ name: 'evidence' });
  expect((await db.query('SELECT name FROM agent_status')).rows).toEqual([{ name: 'evidence' }]);
  expect('the failure').toBe('kept for inspection');
});
