import { describe, expect, type IsolationMode, test } from '../../../src/vitest/index.js';

const insert = (name: string) => `INSERT INTO agent_status (name, type, status) VALUES ('${name}', 'probe', 'RUNNING')`;
const names = async (db: { query: (sql: string) => Promise<{ rows: { name: string }[] }> }) =>
  (await db.query('SELECT name FROM agent_status ORDER BY name')).rows.map((row) => row.name);

const modes: IsolationMode[] = ['transaction', 'truncate', 'none'];

for (const mode of modes) {
  describe(mode, () => {
    const isolated = test.override({ isolation: mode });

    isolated('times out mid-query', { timeout: 1_500 }, async ({ db }) => {
      await db.query(insert(`timed-out-${mode}`));
      await db.query('SELECT pg_sleep(30)');
    });

    isolated('starts clean after a test that timed out', async ({ db }) => {
      // a transaction left aborted, or a query still running on the connection, would fail these
      expect(await names(db)).toEqual(mode === 'none' ? ['timed-out-none'] : []);
      await db.query(insert('next'));
      expect(await names(db)).toContain('next');
      const client = await db.pool.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      client.release();
    });

    isolated('leaves a client checked out', async ({ db }) => {
      const client = await db.pool.connect();
      await client.query('BEGIN');
      await client.query(insert(`leaked-${mode}`));
    });

    isolated('starts clean after a test that leaked a client', async ({ db }) => {
      const seen = await names(db);
      expect(seen).not.toContain(`leaked-${mode}`);
      if (mode !== 'none') expect(seen).toEqual([]);
      await db.exec(insert('after-leak'));
      expect(await names(db)).toContain('after-leak');
    });
  });
}
