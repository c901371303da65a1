import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lintFactoryList } from '../../src/factories/index.js';
import {
  belongsTo,
  decimal,
  defineFactory,
  FactoryError,
  FactoryInsertError,
  FactoryValidationError,
} from '../../src/index.js';
import { beginTestTransaction } from '../../src/isolation/index.js';
import { scratchDatabase } from '../support/server.js';

// Every value a factory is given is checked before anything is written; what only the database
// can judge comes back naming the column (and the row of a list); a graph is all or nothing.

const SCHEMA = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA lab;
CREATE TYPE lab.mood AS ENUM ('happy', 'sad');
CREATE TABLE lab.parents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);
CREATE TABLE lab.items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id bigint NOT NULL REFERENCES lab.parents (id),
  name text NOT NULL UNIQUE,
  code varchar(5),
  amount numeric(8, 2) NOT NULL DEFAULT 1,
  ratio double precision,
  small smallint,
  count integer,
  big bigint,
  at timestamptz NOT NULL DEFAULT now(),
  day date,
  ref uuid,
  mood lab.mood,
  attrs jsonb NOT NULL DEFAULT '{}',
  tags text[],
  scores float8[],
  embedding vector(3)
);
CREATE TABLE lab.notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id bigint NOT NULL REFERENCES lab.parents (id) DEFERRABLE INITIALLY DEFERRED,
  body text NOT NULL
);`;

interface Parent {
  id: number;
  name: string;
}

interface Item {
  id: number;
  parentId: number;
  name: string;
  code: string | null;
  amount: string;
  ratio: number | null;
  small: number | null;
  count: number | null;
  big: number | bigint | null;
  at: Date | string;
  day: string | null;
  ref: string | null;
  mood: string | null;
  attrs: unknown;
  tags: string[] | null;
  scores: number[] | null;
  embedding: number[] | null;
}

const parent = defineFactory<Parent, { generated: 'id' }>({
  name: 'parent',
  table: 'lab.parents',
  defaults: ({ faker }) => ({ name: `parent-${faker.string.uuid()}` }),
});

const item = defineFactory<
  Item,
  { traits: 'doubled' | 'broken' | 'failingHook'; associations: 'parent'; generated: 'id' }
>({
  name: 'item',
  table: 'lab.items',
  defaults: ({ faker }) => ({
    parentId: 0,
    name: `item-${faker.string.uuid()}`,
    code: 'ab',
    amount: '12.50',
    ratio: 0.5,
    small: 1,
    count: 2,
    big: 3,
    at: new Date('2024-01-01T00:00:00Z'),
    day: '2024-01-01',
    ref: faker.string.uuid(),
    mood: 'happy',
    attrs: { a: 1 },
    tags: ['x'],
    scores: [1.5],
    embedding: [1, 0, 0],
  }),
  associations: { parent: belongsTo(() => parent, { foreignKey: 'parentId' }) },
  traits: {
    // decimal arithmetic on an attribute: a non-decimal override must not escape as a RangeError
    doubled: ({ attrs }) => ({ amount: decimal.mul(attrs.amount ?? 0, 2, 2) }),
    broken: () => {
      throw new TypeError('a bug in a trait');
    },
    failingHook: {
      afterCreate: () => {
        throw new Error('hook failed');
      },
    },
  },
});

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;
let seed = 500;
const next = () => ({ seed: seed++ });
const invalid = new Date('x');

async function counts(db: { query: pg.Pool['query'] } = pool): Promise<{ parents: number; items: number }> {
  const { rows } = await db.query<{ parents: number; items: number }>(
    'SELECT (SELECT count(*) FROM lab.parents)::int AS parents, (SELECT count(*) FROM lab.items)::int AS items',
  );
  return rows[0] as { parents: number; items: number };
}

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  database = await scratchDatabase('values');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  await pool.query(SCHEMA);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('build: a value no column could store is a FactoryValidationError naming the field', () => {
  const cases: { name: string; overrides: Partial<Record<keyof Item, unknown>>; field: string; rule: RegExp }[] = [
    { name: 'an Invalid Date', overrides: { at: invalid }, field: 'at', rule: /at must be a valid Date/ },
    { name: 'NaN', overrides: { ratio: Number.NaN }, field: 'ratio', rule: /finite number/ },
    { name: 'Infinity', overrides: { count: Number.POSITIVE_INFINITY }, field: 'count', rule: /finite number/ },
    { name: 'a function', overrides: { name: () => 'x' }, field: 'name', rule: /function/ },
    { name: 'a symbol', overrides: { code: Symbol('x') }, field: 'code', rule: /symbol/ },
    { name: 'circular JSON', overrides: { attrs: circular() }, field: 'attrs', rule: /circular.*attrs\.self/ },
    { name: 'a BigInt in JSON', overrides: { attrs: { n: 1n } }, field: 'attrs', rule: /BigInt at attrs\.n/ },
    { name: 'a function in JSON', overrides: { attrs: { f: () => 1 } }, field: 'attrs', rule: /function at attrs\.f/ },
    { name: 'NaN in JSON', overrides: { attrs: { deep: [1, Number.NaN] } }, field: 'attrs', rule: /attrs\.deep\[1\]/ },
    {
      name: 'an Invalid Date in JSON',
      overrides: { attrs: { when: invalid } },
      field: 'attrs',
      rule: /Invalid Date at attrs\.when/,
    },
    { name: 'NaN in an array', overrides: { scores: [1, Number.NaN] }, field: 'scores', rule: /scores\[1\]/ },
    { name: 'a circular array', overrides: { tags: circularArray() }, field: 'tags', rule: /circular/ },
    { name: 'a symbol in JSON', overrides: { attrs: { s: Symbol('s') } }, field: 'attrs', rule: /symbol at attrs\.s/ },
    {
      name: 'a toJSON() that throws',
      overrides: { attrs: { t: { toJSON: () => JSON.parse('{') } } },
      field: 'attrs',
      rule: /toJSON\(\) that throws.*at attrs\.t/,
    },
    {
      name: 'what toJSON() returns is checked too',
      overrides: { attrs: { t: { toJSON: () => ({ n: 1n }) } } },
      field: 'attrs',
      rule: /BigInt at attrs\.t\.n/,
    },
  ];

  test.each(cases)('$name', ({ overrides, field, rule }) => {
    const error = caught(() => item.build(overrides as never));
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ code: 'FACTORY_VALIDATION', factory: 'item', field });
    expect((error as Error).message).toMatch(rule);
  });

  test('buildList and attributesFor name the field too; a list names the row', () => {
    const error = caught(() => item.buildList(3, (index) => (index === 2 ? { at: invalid } : {})));
    expect(error).toMatchObject({ field: 'at', row: 2 });
    expect((error as Error).message).toMatch(/row 2/);
    expect(caught(() => item.attributesFor({ at: invalid }))).toMatchObject({ field: 'at' });
    expect((caught(() => item.build({ at: invalid })) as FactoryValidationError).row).toBeUndefined();
  });

  test('a non-decimal override used in arithmetic names the field; a failing trait is a typed error', () => {
    const error = caught(() => item.with('doubled').build({ amount: 'lots' }));
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ field: 'amount', value: 'lots' });
    const nan = caught(() => item.with('doubled').build({ amount: Number.NaN as never }));
    expect(nan).toMatchObject({ field: 'amount' });
    const bug = caught(() => item.with('broken').build());
    expect(bug).toBeInstanceOf(FactoryError);
    expect(bug).toMatchObject({ code: 'FACTORY_BUILD', factory: 'item' });
    expect((bug as Error).message).toMatch(/trait "broken".*a bug in a trait/);
    expect((bug as Error).cause).toBeInstanceOf(TypeError);
  });

  test('valid values pass: BigInt ids, Buffers, Dates in JSON, the strings NaN and Infinity', () => {
    const built = item.build({
      big: 2n ** 62n,
      attrs: { when: new Date(0), list: [1, 'a', null] },
      ratio: 'NaN' as never,
      scores: ['Infinity' as never],
    });
    expect(built.big).toBe(2n ** 62n);
  });
});

describe('create: values are checked against the column types before anything is written', () => {
  const cases: { name: string; overrides: Partial<Record<keyof Item, unknown>>; field: string; rule: RegExp }[] = [
    { name: 'an Invalid Date', overrides: { at: invalid }, field: 'at', rule: /valid Date/ },
    { name: 'an object for a timestamp', overrides: { at: { when: 1 } }, field: 'at', rule: /Date/ },
    { name: 'epoch milliseconds out of range', overrides: { at: 1e17 }, field: 'at', rule: /epoch milliseconds/ },
    {
      name: 'numeric overflow',
      overrides: { amount: 1e21 },
      field: 'amount',
      rule: /lab\.items\.amount is numeric\(8,2\)/,
    },
    { name: 'numeric overflow by rounding', overrides: { amount: '999999.995' }, field: 'amount', rule: /10\^6/ },
    { name: 'Infinity in numeric(p, s)', overrides: { amount: 'Infinity' }, field: 'amount', rule: /infinite/ },
    { name: 'smallint range', overrides: { small: 40_000 }, field: 'small', rule: /smallint/ },
    { name: 'integer, not a fraction', overrides: { count: 1.5 }, field: 'count', rule: /integer/ },
    { name: 'bigint range', overrides: { big: 2n ** 63n }, field: 'big', rule: /bigint/ },
    { name: 'varchar length', overrides: { code: 'abcdef' }, field: 'code', rule: /at most 5 characters/ },
    { name: 'a BigInt in a JSON array', overrides: { attrs: [1n] }, field: 'attrs', rule: /BigInt/ },
    { name: 'NaN in a vector', overrides: { embedding: [1, Number.NaN, 0] }, field: 'embedding', rule: /finite/ },
  ];

  test.each(cases)('$name (the parent it would create is not written either)', async ({ overrides, field, rule }) => {
    const before = await counts();
    const error = await item
      .bind(pool, next())
      .create(overrides as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ factory: 'item', field });
    expect((error as Error).message).toMatch(rule);
    expect(await counts()).toEqual(before);
  });

  test('lists name the row: createList, insertList, insertMany', async () => {
    const before = await counts();
    const items = item.bind(pool, next());
    const bad = (index: number) => (index === 3 ? { at: invalid } : {});
    await expect(items.createList(5, bad)).rejects.toMatchObject({ field: 'at', row: 3 });
    await expect(items.insertList(5, bad)).rejects.toMatchObject({ field: 'at', row: 3 });
    const owner = await parent.bind(pool, next()).create();
    const rows = [0, 1, 2].map((index) => ({
      ...items.build({ parent: owner }),
      ...(index === 2 ? { amount: 1e9 as never } : {}),
    }));
    await expect(items.insertMany(rows)).rejects.toMatchObject({ field: 'amount', row: 2 });
    // rows "valid by construction" are not checked beforehand: the refused value is found after the fact
    const refused = await items.insertMany(rows, { validate: false }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(FactoryInsertError);
    expect(refused).toMatchObject({ sqlState: '22003', column: 'amount', field: 'amount', row: 2 });
    const unencodable = rows.map((row, index) => (index === 1 ? { ...row, at: invalid } : row));
    const encoded = await items.insertMany(unencodable, { validate: false }).catch((caught: unknown) => caught);
    expect(encoded).toBeInstanceOf(FactoryValidationError);
    expect(encoded).toMatchObject({ field: 'at', row: 1 });
    const many = [...rows.slice(0, 2), ...rows.slice(0, 2)].map((row, index) => ({
      ...row,
      name: `many-${index}-${seed}`,
    }));
    const late = many.map((row, index) => (index === 3 ? { ...row, attrs: circular() } : row));
    const batched = await items.insertMany(late, { validate: false, batchSize: 2 }).catch((caught: unknown) => caught);
    expect(batched).toMatchObject({ field: 'attrs', row: 3 });
    expect(await counts()).toEqual({ ...before, parents: before.parents + 1 });
  });

  test('edge values the columns accept are stored', async () => {
    const row = await item.bind(pool, next()).create({
      amount: '999999.994',
      small: -32_768,
      count: 2 ** 31 - 1,
      big: 2n ** 63n - 1n,
      code: 'abcde   ',
      ratio: 'Infinity' as never,
      at: '2024-02-29 12:00:00+00',
      attrs: 'a JSON string',
    });
    expect(row).toMatchObject({ amount: '999999.99', small: -32_768, big: 2n ** 63n - 1n, code: 'abcde' });
    expect(row.ratio).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('database-side refusals name the column, the field and the row', () => {
  test('22007 invalid timestamp text: column at, and its parent is not left behind', async () => {
    const before = await counts();
    const error = await item
      .bind(pool, next())
      .create({ at: 'not a date' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toMatchObject({ sqlState: '22007', column: 'at', field: 'at' });
    expect((error as FactoryInsertError).row).toBeUndefined();
    expect((error as Error).message).toMatch(/lab\.items\.at/);
    expect(await counts()).toEqual(before);
  });

  test('22P02 for an enum and a uuid; the row of a list across batches', async () => {
    const items = item.bind(pool, next());
    await expect(items.create({ mood: 'angry' })).rejects.toMatchObject({ sqlState: '22P02', column: 'mood' });
    await expect(items.create({ ref: 'not-a-uuid' })).rejects.toMatchObject({ sqlState: '22P02', field: 'ref' });
    // numeric text PostgreSQL reads (1_000, 0x1F) is its to judge
    await expect(items.create({ amount: 'lots' })).rejects.toMatchObject({ sqlState: '22P02', column: 'amount' });
    expect((await items.create({ amount: '1_000' })).amount).toBe('1000.00');
    const before = await counts();
    const error = await items
      .createList(5, (index) => ({ day: index === 3 ? '2024-02-30' : '2024-02-28' }), { batchSize: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ sqlState: '22008', column: 'day', row: 3 });
    expect((error as Error).message).toMatch(/row 3/);
    expect(await counts()).toEqual(before);
  });

  test('an array element refused as the statement runs: the column holding the quoted value', async () => {
    const items = item.bind(pool, next());
    const error = await items
      .createList(2, (index) => ({ scores: index === 1 ? ['1.5', 'abc'] : ['2'] }) as never)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ sqlState: '22P02', column: 'scores', row: 1 });
  });

  test('23502, 23503 and 23505 name the column and the row', async () => {
    const items = item.bind(pool, next());
    const owner = await parent.bind(pool, next()).create();
    const nullKey = await items.create({ parentId: null as never }).catch((caught: unknown) => caught);
    expect(nullKey).toMatchObject({ sqlState: '23502', column: 'parent_id', field: 'parentId' });
    const missing = await items
      .createList(3, (index) => ({ parentId: index === 1 ? 987_654 : owner.id }))
      .catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ sqlState: '23503', column: 'parent_id', row: 1 });
    const taken = await items.create({ parent: owner });
    const duplicate = await items
      .createList(3, (index) => ({ parent: owner, name: index === 2 ? taken.name : `fresh-${index}-${seed}` }))
      .catch((caught: unknown) => caught);
    expect(duplicate).toMatchObject({ sqlState: '23505', column: 'name', field: 'name', row: 2 });
  });
});

test('lint failures name the column the database refused', async () => {
  const orphan = defineFactory<{ id: number; parentId: number; name: string }, { generated: 'id' }>({
    name: 'orphan',
    table: 'lab.items',
    defaults: ({ faker }) => ({ parentId: 0, name: `orphan-${faker.string.uuid()}` }),
  });
  const report = await lintFactoryList(pool, [orphan], next());
  expect(report.failures).toEqual([
    expect.objectContaining({ factory: 'orphan', sqlState: '23503', column: 'parent_id', field: 'parentId' }),
  ]);
});

describe('a graph is written all or nothing', () => {
  test('a deferred constraint refused at COMMIT is a FactoryInsertError; nothing is left', async () => {
    const note = defineFactory<{ id: number; parentId: number; body: string }, { generated: 'id' }>({
      name: 'note',
      table: 'lab.notes',
      defaults: ({ sequence }) => ({ parentId: 424_242, body: `note ${sequence}` }),
    });
    const notes = note.bind(pool, next());
    // two batches: one transaction, and the missing parent is only noticed at COMMIT
    const error = await notes.createList(2, {}, { batchSize: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toMatchObject({ factory: 'note', sqlState: '23503', table: 'notes' });
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM lab.notes');
    expect(rows[0]?.n).toBe(0);
  });

  test('on a pool: parents created for a failing list are rolled back, connections released', async () => {
    const before = await counts();
    const items = item.bind(pool, next());
    await expect(items.createList(4, (index) => ({ at: index === 3 ? 'never' : new Date(0) }))).rejects.toBeInstanceOf(
      FactoryInsertError,
    );
    await expect(items.createList(5, (index) => ({ day: index === 4 ? 'x' : null }), { batchSize: 2 })).rejects.toThrow(
      FactoryInsertError,
    );
    await expect(items.create({}, { traits: ['failingHook'] })).rejects.toThrow('hook failed');
    expect(await counts()).toEqual(before);
    expect(pool.waitingCount).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
    // and the pool still works
    expect((await items.create()).id).toBeTypeOf('number');
  });

  test('a connection that dies mid-graph: the process survives, the pool drops it, nothing is written', async () => {
    const fatal = defineFactory<Item, { associations: 'parent'; generated: 'id' }>({
      name: 'fatal',
      table: 'lab.items',
      defaults: (context) => item.definition.defaults(context) as unknown as Item,
      associations: { parent: belongsTo(() => parent, { foreignKey: 'parentId' }) },
      afterCreate: async (_row, { db }) => {
        await db.query('SELECT pg_terminate_backend(pg_backend_pid())');
      },
    });
    const before = await counts();
    await expect(fatal.bind(pool, next()).create()).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(pool.idleCount).toBe(pool.totalCount);
    expect((await item.bind(pool, next()).create()).id).toBeTypeOf('number');
  });

  test('on a pg.Client outside a transaction: BEGIN / ROLLBACK, and the client stays usable', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const before = await counts(client);
      const items = item.bind(client, next());
      await expect(items.create({ at: 'never' })).rejects.toBeInstanceOf(FactoryInsertError);
      expect(client.getTransactionStatus()).toBe('I');
      expect(await counts(client)).toEqual(before);
      await items.create();
      expect(await counts(client)).toEqual({ parents: before.parents + 1, items: before.items + 1 });
    } finally {
      await client.end();
    }
  });

  test("inside the caller's transaction: a savepoint, the caller's own work survives", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const before = await counts(client);
      await client.query('BEGIN');
      await client.query("INSERT INTO lab.parents (name) VALUES ('callers-own')");
      const items = item.bind(client, next());
      await expect(items.create({ at: 'never' })).rejects.toBeInstanceOf(FactoryInsertError);
      expect(client.getTransactionStatus()).toBe('T');
      await items.create();
      await client.query('COMMIT');
      expect(await counts(client)).toEqual({ parents: before.parents + 2, items: before.items + 1 });
    } finally {
      await client.end();
    }
  });

  test('concurrent creates on one client do not share a transaction', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const before = await counts(client);
      const items = item.bind(client, next());
      const results = await Promise.allSettled([
        items.createList(2),
        items.createList(2, (index) => ({ at: index === 1 ? 'never' : new Date(0) })),
        items.create(),
        parent.bind(client, next()).create(),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(await counts(client)).toEqual({ parents: before.parents + 4, items: before.items + 3 });
    } finally {
      await client.end();
    }
  });

  test("in the kit's per-test transaction (PinnedPool): savepoints, and the test's transaction goes on", async () => {
    const transaction = await beginTestTransaction(pool);
    try {
      const before = await counts(transaction.pool);
      const items = item.bind(transaction.pool, next());
      await expect(items.createList(3, (index) => ({ at: index === 2 ? 'never' : new Date(0) }))).rejects.toThrow(
        FactoryInsertError,
      );
      await expect(items.create({}, { traits: ['failingHook'] })).rejects.toThrow('hook failed');
      expect(await counts(transaction.pool)).toEqual(before);
      await items.createList(2);
      expect(await counts(transaction.pool)).toEqual({ parents: before.parents + 2, items: before.items + 2 });
    } finally {
      await transaction.rollback();
    }
  });
});

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

function circularArray(): unknown[] {
  const value: unknown[] = ['a'];
  value.push(value);
  return value;
}
