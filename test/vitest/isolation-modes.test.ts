import { describe, expect, test } from '../../src/vitest/index.js';

const insert = "INSERT INTO agent_status (name, type, status) VALUES ('leaky', 'probe', 'RUNNING')";
const names = 'SELECT name FROM agent_status ORDER BY name';

describe('transaction isolation (the default)', () => {
  test('test 1 writes through the pool, inside its own BEGIN/COMMIT too', async ({ db }) => {
    expect(db.isolation).toBe('transaction');
    await db.pool.query(insert);
    const client = await db.pool.connect();
    await client.query('BEGIN');
    await client.query("INSERT INTO agent_status (name, type, status) VALUES ('committed', 'probe', 'RUNNING')");
    await client.query('COMMIT');
    client.release();
    expect((await db.query(names)).rows).toHaveLength(2);
  });

  test('test 2 sees none of it', async ({ db }) => {
    expect((await db.query(names)).rows).toEqual([]);
  });
});

describe('truncate isolation', () => {
  const truncating = test.override({ isolation: 'truncate' });

  truncating('test 1 writes and commits for real', async ({ db }) => {
    expect(db.isolation).toBe('truncate');
    await db.exec(insert);
    const other = await db.pool.connect();
    expect((await other.query(names)).rows).toEqual([{ name: 'leaky' }]);
    other.release();
  });

  truncating('test 2 starts empty', async ({ db }) => {
    expect((await db.query(names)).rows).toEqual([]);
  });
});

describe("'none' isolation", () => {
  const shared = test.override({ isolation: 'none' });

  shared('test 1 writes', async ({ db }) => {
    await db.exec(insert);
  });

  shared('test 2 still sees it (no isolation), and cleans up', async ({ db }) => {
    expect((await db.query(names)).rows).toEqual([{ name: 'leaky' }]);
    await db.truncate();
  });
});
