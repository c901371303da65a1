import pg from 'pg';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import type { SqlTarget } from '../../src/connection/index.js';
import {
  belongsTo,
  defineFactory,
  FactoryContext,
  FactoryError,
  FactoryInsertError,
  FactoryValidationError,
  forgetColumns,
  lintFactoryList,
  REFERENCE_DATE,
  resolveSeed,
  tableInfo,
  toExecutor,
} from '../../src/factories/index.js';
import { scratchDatabase } from '../support/server.js';

const SCHEMA = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA shop;
CREATE TYPE shop.mood AS ENUM ('happy', 'sad');
CREATE TABLE shop.owners (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shop.widgets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES shop.owners (id),
  owner_name text,
  name text NOT NULL,
  price numeric(12, 2) NOT NULL CONSTRAINT widgets_price_positive CHECK (price > 0),
  weight double precision,
  small smallint,
  active boolean NOT NULL DEFAULT true,
  tags text[] NOT NULL DEFAULT '{}',
  attrs jsonb NOT NULL DEFAULT '{}',
  mood shop.mood,
  born date,
  made_at timestamptz NOT NULL DEFAULT now(),
  local_at timestamp,
  blob bytea,
  embedding vector(3),
  total numeric GENERATED ALWAYS AS (price * 2) STORED
);`;

interface Owner {
  id: number;
  name: string;
  createdAt: Date;
}

interface Widget {
  id: number;
  ownerId: number;
  ownerName: string | null;
  name: string;
  price: string;
  weight: number | null;
  small: number | null;
  active: boolean;
  tags: string[];
  attrs: Record<string, unknown> | string;
  mood: 'happy' | 'sad' | null;
  born: string | null;
  madeAt: Date;
  localAt: Date | null;
  blob: Buffer | null;
  embedding: number[] | null;
  total: string;
}

const owner = defineFactory<Owner, { generated: 'id' | 'createdAt' }>({
  table: 'shop.owners',
  defaults: ({ faker }) => ({ name: `owner-${faker.string.uuid()}` }),
});

const created: string[] = [];

const widget = defineFactory<
  Widget,
  {
    traits: 'expensive' | 'sad' | 'broken' | 'noted';
    transient: { tagCount: number };
    associations: 'owner';
    generated: 'id' | 'total' | 'madeAt' | 'active';
  }
>({
  name: 'widget',
  table: 'shop.widgets',
  transient: { tagCount: 1 },
  defaults: ({ faker, sequence, transient, refDate }) => ({
    ownerId: 0,
    ownerName: null,
    name: `widget-${sequence}`,
    price: faker.commerce.price({ min: 1, max: 50 }),
    weight: 1.5,
    small: 7,
    tags: Array.from({ length: transient.tagCount }, (_, index) => `tag "${index}"`),
    attrs: { color: faker.color.human() },
    mood: null,
    born: '2020-02-29',
    localAt: refDate,
    blob: Buffer.from([1, 2, 255]),
    embedding: [1, 0, 0],
  }),
  associations: {
    owner: belongsTo(() => owner, { foreignKey: 'ownerId', copy: (parent) => ({ ownerName: parent.name }) }),
  },
  traits: {
    expensive: { attributes: { price: '999.99' } },
    sad: ({ attrs }) => ({ mood: 'sad', name: `sad ${attrs.name}` }),
    broken: { attributes: { price: '0' } },
    noted: { transient: { tagCount: 3 }, afterCreate: (row) => void created.push(`trait:${row.name}`) },
  },
  derive: ({ attrs }) => ({ weight: attrs.small == null ? null : attrs.small * 2 }),
  validate: (check) => {
    check.required('name');
  },
  afterBuild: (row) => {
    if (typeof row.attrs === 'object') row.attrs = { ...row.attrs, built: true };
  },
  afterCreate: async (row, { use }) => {
    created.push(row.name);
    if (row.name === 'parent-widget') await use(owner).create({ name: 'hook-owner' });
  },
});

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;
let seed = 100;
/** Each bind its own seed: contexts with equal seeds generate equal (colliding) names. */
const next = () => ({ seed: seed++ });

async function count(table: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  database = await scratchDatabase('engine');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  await pool.query(SCHEMA);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('create', () => {
  test('inserts and returns the stored row with documented JS types', async () => {
    const widgets = widget.bind(pool, next());
    const row = await widgets.create({ small: 3, mood: 'happy' });
    expect(row.id).toBeTypeOf('number');
    expect(row.ownerId).toBeTypeOf('number');
    expect(row.ownerName).toMatch(/^owner-[0-9a-f-]{36}$/);
    expect(row.price).toMatch(/^\d+\.\d{2}$/);
    expect(Number(row.total)).toBeCloseTo(Number(row.price) * 2, 6);
    expect(row.weight).toBe(6);
    expect(row.small).toBe(3);
    expect(row.active).toBe(true);
    expect(row.tags).toEqual(['tag "0"']);
    expect(row.attrs).toMatchObject({ built: true });
    expect(row.mood).toBe('happy');
    expect(row.born).toBe('2020-02-29');
    expect(row.madeAt).toBeInstanceOf(Date);
    expect(row.localAt).toEqual(REFERENCE_DATE);
    expect(row.blob).toEqual(Buffer.from([1, 2, 255]));
    expect(row.embedding).toEqual([1, 0, 0]);
    const { rows } = await pool.query('SELECT name, tags, weight FROM shop.widgets WHERE id = $1', [row.id]);
    expect(rows[0]).toEqual({ name: row.name, tags: ['tag "0"'], weight: 6 });
  });

  test('uses a passed parent or foreign key, and creates missing parents in one batch', async () => {
    const widgets = widget.bind(pool, next());
    const parent = await owner.bind(widgets.context ?? pool).create({ name: 'given' });
    const mine = await widgets.createList(3, { owner: parent });
    expect(new Set(mine.map((w) => w.ownerId))).toEqual(new Set([parent.id]));
    expect(mine.every((w) => w.ownerName === 'given')).toBe(true);
    const byKey = await widgets.create({ ownerId: parent.id });
    expect(byKey.ownerName).toBeNull();
    const before = await count('shop.owners');
    const fresh = await widgets.createList(4);
    expect(new Set(fresh.map((w) => w.ownerId)).size).toBe(4);
    expect(await count('shop.owners')).toBe(before + 4);
  });

  test('traits, with(), transient params, sequences and hooks', async () => {
    const widgets = widget.bind(pool, next());
    const sad = await widgets.with('sad').create({}, { traits: ['expensive'] });
    expect(sad).toMatchObject({ mood: 'sad', price: '999.99' });
    expect(sad.name).toMatch(/^sad widget-\d+$/);
    const noted = await widgets.create({ name: 'n1' }, { traits: ['noted'] });
    expect(noted.tags).toHaveLength(3);
    const transient = widgets.build({}, { transient: { tagCount: 2 } });
    expect(transient.tags).toHaveLength(2);
    expect(created).toEqual(expect.arrayContaining(['n1', 'trait:n1']));
    await widgets.create({ name: 'parent-widget' });
    expect((await pool.query("SELECT 1 FROM shop.owners WHERE name = 'hook-owner'")).rowCount).toBe(1);
    expect(widgets.traitNames).toEqual(['expensive', 'sad', 'broken', 'noted']);
    expect(widgets.name).toBe('widget');
    expect(widgets.table).toBe('shop.widgets');
    // overrides win over traits and derived columns
    expect(widgets.build({ mood: null, weight: 1 }, { traits: ['sad'] })).toMatchObject({ mood: null, weight: 1 });
  });

  test('sequences restart and fakers reseed on resetSequences', () => {
    const context = new FactoryContext(pool, next());
    const widgets = widget.bind(context);
    const first = widgets.buildList(2);
    context.resetSequences();
    const again = widgets.buildList(2);
    expect(again.map((w) => w.name)).toEqual(first.map((w) => w.name));
    expect(again.map((w) => w.price)).toEqual(first.map((w) => w.price));
    expect(first.map((w) => w.name)).toEqual(['widget-1', 'widget-2']);
  });

  test('createList batches, keeps the order and groups rows with different columns', async () => {
    const widgets = widget.bind(pool, next());
    const parent = await owner.bind(pool, next()).create({ name: 'batch-owner' });
    const rows = await widgets.createList(
      7,
      (index) =>
        index % 2 === 0 ? { owner: parent, name: `b${index}`, mood: 'sad' } : { owner: parent, name: `b${index}` },
      { batchSize: 2 },
    );
    expect(rows.map((row) => row.name)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    expect(rows.map((row) => row.mood)).toEqual(['sad', null, 'sad', null, 'sad', null, 'sad']);
    expect(await widgets.insertList(3, { owner: parent })).toBe(3);
    const many = await widgets.insertMany([{ ownerId: parent.id, name: 'm1', price: '2.50' }]);
    expect(many[0]).toMatchObject({ name: 'm1', price: '2.50', active: true, total: '5.00' });
    expect(await widgets.insertMany([{ ownerId: parent.id, name: 'm2', price: '1' }], { returning: false })).toBe(1);
  });

  test('an identity column given explicitly is inserted with OVERRIDING SYSTEM VALUE', async () => {
    const row = await owner.bind(pool, next()).create({ id: 1_000_000, name: 'explicit' } as never);
    expect(row.id).toBe(1_000_000);
  });

  test('json columns take any JSON value', async () => {
    const widgets = widget.bind(pool, next());
    const row = await widgets.create({ attrs: 'plain' });
    expect(row.attrs).toEqual('plain');
  });
});

describe('build', () => {
  test('never touches the database, parents included', async () => {
    const before = [await count('shop.owners'), await count('shop.widgets')];
    const widgets = widget.bind(pool, next());
    const built = widgets.build();
    expect(built.name).toMatch(/^widget-/);
    expect(built.id).toBeUndefined();
    expect(built.ownerId).toBe(0);
    expect(widgets.buildList(3, (index) => ({ name: `x${index}` })).map((w) => w.name)).toEqual(['x0', 'x1', 'x2']);
    expect(widget.build().name).toMatch(/^widget-/);
    expect(widgets.attributesFor({ small: null })).toMatchObject({ small: null, weight: null, ownerId: 0 });
    expect([await count('shop.owners'), await count('shop.widgets')]).toEqual(before);
  });
});

describe('types', () => {
  test('overrides, traits and results are checked against the row type', () => {
    const widgets = widget.bind(pool, next());
    // @ts-expect-error price is a numeric: a string
    widgets.attributesFor({ price: 5 });
    // @ts-expect-error no such column
    widgets.attributesFor({ nmae: 'x' });
    // @ts-expect-error no such trait
    expect(() => widgets.with('shiny').build()).toThrow(FactoryError);
    expectTypeOf(widgets.build()).toHaveProperty('name').toEqualTypeOf<string>();
    expectTypeOf(widgets.build().id).toEqualTypeOf<number | undefined>();
    expectTypeOf<Awaited<ReturnType<typeof widgets.create>>>().toHaveProperty('id').toEqualTypeOf<number>();
  });
});

describe('errors', () => {
  test('unknown columns, generated columns, unknown traits, missing tables, unbound factories', async () => {
    const widgets = widget.bind(pool, next());
    await expect(widgets.create({ nmae: 'typo' } as never)).rejects.toMatchObject({ code: 'FACTORY_COLUMN' });
    await expect(widgets.create({ total: '1' })).rejects.toMatchObject({ code: 'FACTORY_COLUMN' });
    expect(() => widgets.build({}, { traits: ['shiny' as never] })).toThrow(/unknown trait "shiny"/);
    const ghost = defineFactory<{ id: number }>({ table: 'nowhere', defaults: () => ({ id: 1 }) });
    await expect(ghost.bind(pool).create()).rejects.toMatchObject({ code: 'FACTORY_TABLE' });
    // creating through an unbound factory is a type error, and at run time (plain JavaScript) a typed one
    // @ts-expect-error the factory is not bound to a database
    await expect(widget.create()).rejects.toMatchObject({ code: 'FACTORY_UNBOUND' });
    await expect(widgets.create({ owner: { name: 'no id' } })).rejects.toMatchObject({ code: 'FACTORY_ASSOCIATION' });
  });

  test('a database refusal names the constraint, SQLSTATE and seed', async () => {
    const widgets = widget.bind(pool, { seed: 4242 });
    const error = await widgets.create({}, { traits: ['broken'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toBeInstanceOf(FactoryError);
    expect(error).toMatchObject({ sqlState: '23514', constraint: 'widgets_price_positive', seed: 4242 });
    expect((error as Error).message).toMatch(/TIMESCALE_TESTKIT_SEED=4242/);
  });

  test('vector columns must have the declared dimension', async () => {
    const widgets = widget.bind(pool, next());
    const error = await widgets.create({ embedding: [1, 2] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ factory: 'widget', field: 'embedding' });
  });

  test('required fields fail validation before SQL', () => {
    expect(() => widget.build({ name: null as never })).toThrow(FactoryValidationError);
  });
});

describe('queryables', () => {
  test('a Client, a PoolClient, a connection string, { pool } and { query } all work', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      expect((await owner.bind(client, next()).create()).id).toBeTypeOf('number');
    } finally {
      await client.end();
    }
    const leased = await pool.connect();
    try {
      expect((await owner.bind(leased, next()).create()).id).toBeTypeOf('number');
    } finally {
      leased.release();
    }
    const byUrl = new FactoryContext(database.url, next());
    expect((await owner.bind(byUrl).create()).name).toMatch(/^owner-/);
    await byUrl.end();
    // lookalikes outside the SqlTarget type still work at run time: an object with a pool, or with query()
    const wrapped = { pool } as unknown as SqlTarget;
    expect((await owner.bind(wrapped, next()).create()).id).toBeTypeOf('number');
    const handle = { pool, connectionString: database.url };
    expect(toExecutor(handle).key).toBe(database.url);
    expect((await owner.bind(handle, next()).create()).id).toBeTypeOf('number');
    const minimal = { query: (text: string, values?: unknown[]) => pool.query(text, values) } as unknown as SqlTarget;
    expect((await owner.bind(minimal, next()).create()).id).toBeTypeOf('number');
    expect(() => toExecutor({} as never)).toThrow(TypeError);
  });

  test('the catalog is read once per handle and can be forgotten', async () => {
    const executor = toExecutor(pool);
    const first = await tableInfo(executor, 'shop.widgets');
    expect(await tableInfo(executor, 'shop.widgets')).toBe(first);
    expect(first.byKey.get('embedding')).toMatchObject({ kind: 'vector', dimension: 3 });
    expect(first.byKey.get('tags')?.kind).toBe('array');
    forgetColumns(pool);
    expect(await tableInfo(executor, 'shop.widgets')).not.toBe(first);
    forgetColumns(database.url);
  });
});

describe('seeds', () => {
  test('option, environment, random', () => {
    expect(resolveSeed(5)).toBe(5);
    expect(() => resolveSeed(1.5)).toThrow(FactoryError);
    const saved = process.env.TIMESCALE_TESTKIT_SEED;
    try {
      process.env.TIMESCALE_TESTKIT_SEED = '77';
      expect(resolveSeed()).toBe(77);
      process.env.TIMESCALE_TESTKIT_SEED = 'x';
      expect(() => resolveSeed()).toThrow(/TIMESCALE_TESTKIT_SEED/);
      delete process.env.TIMESCALE_TESTKIT_SEED;
      expect(Number.isSafeInteger(resolveSeed())).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TIMESCALE_TESTKIT_SEED;
      else process.env.TIMESCALE_TESTKIT_SEED = saved;
    }
  });
});

describe('lintFactoryList', () => {
  test('reports the trait the schema refuses and rolls everything back', async () => {
    const before = [await count('shop.owners'), await count('shop.widgets')];
    const report = await lintFactoryList(pool, [owner, widget], {
      seed: 3_000,
      combinations: { widget: [['sad', 'expensive']] },
    });
    expect(report.seed).toBe(3_000);
    expect(report.checked).toContainEqual({ factory: 'widget', traits: ['sad', 'expensive'] });
    expect(report.checked).toHaveLength(1 + 1 + 4 + 1);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.objectContaining({
        factory: 'widget',
        traits: ['broken'],
        code: 'FACTORY_INSERT',
        sqlState: '23514',
        constraint: 'widgets_price_positive',
      }),
    ]);
    expect([await count('shop.owners'), await count('shop.widgets')]).toEqual(before);
  });

  test('validation failures name the field; a connection string works too', async () => {
    const picky = defineFactory<{ id: number; name: string }, { traits: 'blank'; generated: 'id' }>({
      name: 'picky',
      table: 'shop.owners',
      defaults: ({ faker }) => ({ name: `picky-${faker.string.uuid()}` }),
      traits: { blank: { attributes: { name: '' } } },
      validate: (check, row) => void check.rule('name', row.name !== '', 'must not be empty'),
    });
    const report = await lintFactoryList(database.url, [picky], next());
    expect(report.failures).toEqual([
      expect.objectContaining({ factory: 'picky', traits: ['blank'], code: 'FACTORY_VALIDATION', field: 'name' }),
    ]);
  });
});
