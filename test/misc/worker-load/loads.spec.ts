import { appendFileSync } from 'node:fs';
import { expect, test } from '../../../src/vitest/index.js';

const mark = (line: string) => appendFileSync(process.env.WORKER_LOAD_LOG ?? '', `${line}\n`);

test('an order written and read back, then a signal with words', async ({ db, factories }) => {
  const order = await factories.order.create({ status: 'NEW' });
  const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [order.id]);
  expect(rows).toEqual([{ status: 'NEW' }]);
  mark('MARK order written');
  const signal = await factories.agentSignal.create();
  expect(signal.reasoning).toMatch(/^[A-Z][a-z]+( [a-z]+)+\.$/);
  mark('MARK signal written');
});
