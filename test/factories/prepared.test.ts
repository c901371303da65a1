import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defineFactory } from '../../src/factories/index.js';
import { beginTestTransaction } from '../../src/isolation/index.js';
import { scratchDatabase } from '../support/server.js';

// A factory's parameterized statements go to node-postgres as named prepared statements: each
// connection parses and plans them once. Lookalike query objects still get text.

interface Gadget {
  id: number;
  name: string;
  price: string;
}

const gadget = defineFactory<Gadget, { generated: 'id' }>({
  table: 'lab.gadgets',
  defaults: ({ sequence }) => ({ name: `gadget-${sequence}`, price: '1.50' }),
});

/** The kit's prepared statements on this session (pg_prepared_statements is per session). */
async function prepared(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    "SELECT name FROM pg_prepared_statements WHERE name LIKE 'tk\\_%' ORDER BY name",
  );
  return rows.map((row) => row.name);
}

describe('prepared statements', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let client: pg.Client;

  beforeAll(async () => {
    scratch = await scratchDatabase('prepared');
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    await client.query(`CREATE SCHEMA lab;
      CREATE TABLE lab.gadgets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, price numeric(10, 2) NOT NULL)`);
  });
  afterAll(async () => {
    await client.end();
    await scratch.drop();
  });

  test('a create is prepared once per connection, then only executed', async () => {
    const gadgets = gadget.bind(client, { seed: 1 });
    await gadgets.create();
    const after = await prepared(client);
    expect(after).toHaveLength(1);
    await gadgets.create({ name: 'second' });
    await gadgets.createList(3);
    // the same column set, the same statement (createList of 3 is another statement: unnest)
    const names = await prepared(client);
    expect(names).toContain(after[0]);
    expect(names.length).toBeLessThanOrEqual(2);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM lab.gadgets');
    expect(rows[0]?.n).toBe(5);
  });

  test("on the kit's per-test connection too, inside its transaction", async () => {
    const pool = new pg.Pool({ connectionString: scratch.url, max: 1 });
    try {
      const transaction = await beginTestTransaction(pool);
      const gadgets = gadget.bind(transaction.pool, { seed: 2 });
      const made = await gadgets.create({ name: 'in a test' });
      expect(made).toMatchObject({ name: 'in a test', price: '1.50' });
      await gadgets.create({ name: 'again' });
      await transaction.rollback();
      const lease = await pool.connect();
      try {
        expect(await prepared(lease)).toHaveLength(1);
        const { rows } = await lease.query("SELECT 1 FROM lab.gadgets WHERE name IN ('in a test', 'again')");
        expect(rows).toHaveLength(0);
      } finally {
        lease.release();
      }
    } finally {
      await pool.end();
    }
  });

  test('a lookalike with query(text, values) gets text; it still creates', async () => {
    const texts: unknown[] = [];
    const lookalike = {
      query: (text: unknown, values?: unknown[]) => {
        texts.push(text);
        return client.query(text as string, values);
      },
    };
    // a lookalike is not a SqlTarget to the type checker; plain JavaScript passes one
    const made = await gadget.bind(lookalike as unknown as pg.ClientBase, { seed: 3 }).create({ name: 'through text' });
    expect(made.name).toBe('through text');
    expect(texts.every((text) => typeof text === 'string')).toBe(true);
  });

  test('after DDL and forgetColumns() the statements are prepared again under new names', async () => {
    const gadgets = gadget.bind(client, { seed: 4 });
    await gadgets.create();
    const before = await prepared(client);
    await client.query("ALTER TABLE lab.gadgets ADD COLUMN color text NOT NULL DEFAULT 'grey'");
    gadgets.context?.forgetColumns();
    const made = await gadgets.create({ name: 'colored' });
    expect((made as Gadget & { color?: string }).color).toBe('grey');
    const after = await prepared(client);
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
  });
});
