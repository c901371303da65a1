import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_COPY_THRESHOLD,
  defineFactory,
  echoFor,
  FactoryInsertError,
  FactoryValidationError,
  NO_ECHO,
  tableInfo,
  toExecutor,
} from '../../src/factories/index.js';
import { beginTestTransaction } from '../../src/isolation/index.js';
import { scratchDatabase } from '../support/server.js';

// Lists from the COPY threshold on are written with COPY: every value is stored exactly as the
// INSERT path stores it, the rows come back as a read-back would give them, and a COPY the
// database refuses leaves nothing behind and names its row.

const SCHEMA = `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA copying;
CREATE TYPE copying.mood AS ENUM ('happy', 'sad', 'a\\b');
CREATE TABLE copying.notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body text,
  tags text[],
  counts int[],
  doc jsonb,
  raw json,
  amount numeric(12, 4),
  at timestamptz,
  embedding vector(3),
  blob bytea,
  flag boolean,
  small integer CONSTRAINT notes_small_positive CHECK (small IS NULL OR small >= 0),
  big bigint,
  ratio double precision,
  code varchar(8),
  mood copying.mood,
  uid uuid DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);`;

interface Note {
  id: number;
  body: string | null;
  tags: (string | null)[] | null;
  counts: (number | null)[] | null;
  doc: unknown;
  raw: unknown;
  amount: string | null;
  at: Date | null;
  embedding: number[] | null;
  blob: Buffer | null;
  flag: boolean | null;
  small: number | null;
  big: number | bigint | null;
  ratio: number | null;
  code: string | null;
  mood: string | null;
  uid: string;
  createdAt: Date;
}

const note = defineFactory<Note, { generated: 'id' | 'uid' | 'createdAt' }>({
  name: 'note',
  table: 'copying.notes',
  defaults: ({ sequence }) => ({
    body: `note ${sequence}`,
    tags: null,
    counts: null,
    doc: null,
    raw: null,
    amount: null,
    at: null,
    embedding: null,
    blob: null,
    flag: null,
    small: null,
    big: null,
    ratio: null,
    code: null,
    mood: null,
  }),
});

/** Values that COPY's text format must escape, quote or tell apart. */
const EDGES: Partial<Note>[] = [
  { body: '' },
  { body: null },
  { body: '\\N' },
  { body: 'NULL' },
  { body: 'back\\slash \\\\ and \\.' },
  { body: 'tab\there\nnewline\r\ncrlf\rcr' },
  { body: 'ünïcødé ✓ 日本語 🚀 \u00a0' },
  { tags: ['a', '', null, 'NULL', 'with "quotes"', 'comma, here', '{braces}', 'back\\slash', 'tab\tnl\n', ' spaced '] },
  { tags: [] },
  { counts: [1, null, -3] },
  { doc: { b: 1, a: 'x\ny', aa: [1, null, { z: 'é\\"' }], '': true } },
  { doc: 'a JSON string with \\N and \t' },
  { raw: { keep: 'order', as: 'written', n: 1.5 } },
  { amount: '12.5' },
  { amount: '-0.00001' },
  { amount: '9999999.99999' },
  { amount: '007.1000' },
  { at: new Date('2024-02-29T23:59:59.999Z') },
  { at: new Date('1970-01-01T00:00:00Z') },
  { embedding: [0.1, -2, 3e-8] },
  { blob: Buffer.from([0, 92, 9, 10, 255]) },
  { blob: Buffer.alloc(0) },
  { flag: true },
  { flag: false },
  { small: 0 },
  { big: 2 ** 53 - 1 },
  { big: 2n ** 63n - 1n },
  { ratio: 0.1 },
  { code: 'a\\b\tc' },
  { mood: 'a\\b' },
];

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await scratchDatabase('copy');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  await pool.query(SCHEMA);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** What the rows look like stored, as PostgreSQL prints them. */
async function stored(ids: readonly number[]): Promise<unknown[]> {
  const { rows } = await pool.query(
    `SELECT body, tags::text, counts::text, doc::text, raw::text, amount::text, at, embedding::text, blob,
            flag, small, big::text, ratio, code, mood::text
       FROM copying.notes JOIN unnest($1::bigint[]) WITH ORDINALITY AS u(id, ord) USING (id) ORDER BY u.ord`,
    [ids],
  );
  return rows;
}

const without = ({ id: _id, uid: _uid, createdAt: _createdAt, ...rest }: Note) => rest;

/** Statements sent by pg clients while `work` runs (COPY streams are statements too). */
async function statements<T>(work: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string') sent.push(text.trimStart().split(/\s/)[0]?.toUpperCase() ?? '');
    return original.apply(this, args);
  };
  try {
    return { result: await work(), sent };
  } finally {
    prototype.query = original;
  }
}

describe('COPY encoding', () => {
  test('edge values round-trip exactly: stored as INSERT stores them, returned as a read-back gives them', async () => {
    const notes = note.bind(pool, { seed: 1 });
    const rows = note.buildList(EDGES.length, (index) => EDGES[index] ?? {});
    const { result: copied, sent } = await statements(() => notes.insertMany(rows, { copyThreshold: 0 }));
    expect(sent).toContain('COPY');
    expect(sent).not.toContain('INSERT');
    const inserted = await notes.insertMany(rows, { copyThreshold: Number.POSITIVE_INFINITY });
    expect(copied.map(without)).toEqual(inserted.map(without));
    expect(await stored(copied.map((row) => row.id))).toEqual(await stored(inserted.map((row) => row.id)));
    // the drawn defaults are the database's: identities in order, uuids, the transaction's now()
    expect(copied.map((row) => row.id)).toEqual(copied.map((_, index) => (copied[0]?.id ?? 0) + index));
    const { rows: back } = await pool.query<{ uid: string; created_at: Date }>(
      'SELECT uid::text, created_at FROM copying.notes WHERE id = ANY($1) ORDER BY id',
      [copied.map((row) => row.id)],
    );
    expect(copied.map((row) => [row.uid, row.createdAt])).toEqual(back.map((row) => [row.uid, row.created_at]));
    // the escapes did what they should: one backslash stays one, \\N stays text
    const { rows: checks } = await pool.query<{ body: string | null }>(
      'SELECT body FROM copying.notes WHERE id = ANY($1) ORDER BY id LIMIT 3',
      [copied.map((row) => row.id)],
    );
    expect(checks.map((row) => row.body)).toEqual(['', null, '\\N']);
  });

  test('values COPY cannot echo are written too, and the rows read back', async () => {
    const notes = note.bind(pool, { seed: 2 });
    // float4-like text and a timestamp as a string: PostgreSQL's own parsing decides the value
    const rows = [
      { ...note.build(), at: '2024-03-01 10:00:00+02' as never, amount: '1e3' },
      { ...note.build(), code: 'ABCDEFGH', at: new Date(Date.UTC(2024, 0, 1)) },
    ];
    const copied = await notes.insertMany(rows, { copyThreshold: 0 });
    expect(copied[0]).toMatchObject({ at: new Date('2024-03-01T08:00:00Z'), amount: '1000.0000' });
    expect(copied[1]).toMatchObject({ code: 'ABCDEFGH' });
  });

  test('returning: false counts the rows written', async () => {
    const notes = note.bind(pool, { seed: 3 });
    const rows = EDGES.map((edge) => ({ ...note.build(), ...edge }));
    expect(await notes.insertMany(rows, { copyThreshold: 0, returning: false })).toBe(EDGES.length);
  });
});

/** Per column, values and (for some) what the database makes of them. */
const ECHOES: Record<string, unknown[]> = {
  body: ['x', '', 5, true, 'lone \uD800 surrogate', { an: 'object' }],
  tags: [
    [
      ['a', null],
      ['b', 'c'],
    ],
    ['x', null, ''],
    'not an array',
    [1],
  ],
  counts: [
    [
      [1, 2],
      [3, null],
    ],
    [1.5],
    [2 ** 53],
  ],
  doc: [{ b: 1, a: 2, ab: { d: 1, c: 2 } }, 'text', [1, 'b'], 10n],
  raw: [{ b: 1, a: 2 }],
  amount: ['12.3', '-0.00001', '-1.5', '0012', '1e3', 'abc', 12.5, '9.87654', null],
  at: [new Date(0), Date.UTC(2024, 1, 29), new Date(Date.UTC(10_000, 0, 1)), '2024-01-01'],
  embedding: [
    [1, 0.1, 2],
    ['1', 2, 3],
  ],
  blob: [Buffer.from('hi'), new Uint8Array([1, 2]), 'not bytes'],
  flag: [true, 'yes'],
  small: [3, 2.5, '3'],
  big: [5, 2n ** 60n, 7n, 1.5],
  ratio: [0.1, '0.1'],
  code: ['short', 'too long for it'],
  mood: ['sad'],
  uid: ['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'not a uuid'],
};

describe('echoed values', () => {
  test('every value echoed is what the database gives back; the others are not guessed', async () => {
    const table = await tableInfo(toExecutor(pool), 'copying.notes');
    const notes = note.bind(pool, { seed: 12 });
    for (const [key, values] of Object.entries(ECHOES)) {
      const column = table.byKey.get(key);
      if (!column) throw new Error(key);
      const echo = echoFor(column);
      for (const value of values) {
        if (value === null) continue;
        const echoed = echo(value);
        if (echoed === NO_ECHO) continue;
        // a value the database refuses is never echoed: its COPY fails
        const written = await notes
          .insertMany([{ ...note.build(), [key]: value }], { validate: false })
          .catch(() => []);
        const [back] = written;
        if (!back) continue;
        expect([key, value, echoed]).toEqual([key, value, (back as unknown as Record<string, unknown>)[key]]);
      }
    }
    const echoes = (key: string, value: unknown) => echoFor(table.byKey.get(key) as never)(value) !== NO_ECHO;
    expect(echoes('ratio', '0.1')).toBe(false);
    expect(echoes('at', '2024-01-01')).toBe(false);
    expect(echoes('code', 'too long for it')).toBe(false);
    expect(echoes('doc', 10n)).toBe(false);
  });
});

async function count(where = 'true', on: pg.Pool | pg.ClientBase = pool): Promise<number> {
  const { rows } = await on.query<{ n: number }>(`SELECT count(*)::int AS n FROM copying.notes WHERE ${where}`);
  return rows[0]?.n ?? -1;
}

/** `size` rows, the one at `bad` refused by the database (a CHECK constraint). */
function withBadRow(size: number, bad: number, body: string) {
  return note.buildList(size, (index) => ({ body, small: index === bad ? -1 : index }));
}

describe('a COPY the database refuses', () => {
  test('on a pool: no rows left behind, the error names its row', async () => {
    const notes = note.bind(pool, { seed: 4 });
    const error = await notes.insertMany(withBadRow(800, 700, 'refused'), { copyThreshold: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toMatchObject({ factory: 'note', constraint: 'notes_small_positive', row: 700, statement: 'COPY' });
    expect(error.message).toMatch(/: COPY \S*notes FROM STDIN failed/);
    expect(await count("body = 'refused'")).toBe(0);
    // the same row through INSERT ... unnest says so
    const inserted = await notes.insertMany(withBadRow(10, 7, 'refused'), { copyThreshold: Infinity }).catch((e) => e);
    expect(inserted).toMatchObject({ constraint: 'notes_small_positive', statement: 'INSERT' });
    expect(inserted.message).toMatch(/: INSERT INTO \S*notes failed/);
  });

  test('a value that does not parse names its field and row', async () => {
    const notes = note.bind(pool, { seed: 5 });
    const rows = note.buildList(600, (index) => ({ body: 'unparsed', amount: index === 555 ? 'lots' : '1' }));
    const error = await notes.insertMany(rows, { copyThreshold: 0, validate: false }).catch((e) => e);
    expect(error).toBeInstanceOf(FactoryInsertError);
    expect(error).toMatchObject({ factory: 'note', field: 'amount', row: 555, sqlState: '22P02' });
    expect(await count("body = 'unparsed'")).toBe(0);
  });

  test('a value that cannot be encoded is a validation error naming field and row', async () => {
    const notes = note.bind(pool, { seed: 6 });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const rows = note
      .buildList(600, { body: 'unencoded' })
      .map((row, index) => (index === 321 ? { ...row, doc: circular } : row));
    const error = await notes.insertMany(rows, { copyThreshold: 0, validate: false }).catch((e) => e);
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ factory: 'note', field: 'doc', row: 321 });
    expect(await count("body = 'unencoded'")).toBe(0);
    const counted = notes.insertMany(rows, { copyThreshold: 0, validate: false, returning: false });
    await expect(counted).rejects.toMatchObject({ factory: 'note', field: 'doc', row: 321 });
    expect(await count("body = 'unencoded'")).toBe(0);
    const listed = notes.createList(600, (index) => ({ body: 'listed', doc: index === 42 ? circular : {} }));
    await expect(listed).rejects.toMatchObject({ factory: 'note', field: 'doc', row: 42 });
  }, 30_000);

  test("inside the kit's per-test transaction: a savepoint, the test's earlier rows kept until its rollback", async () => {
    const transaction = await beginTestTransaction(pool);
    try {
      const notes = note.bind(transaction.pool, { seed: 7 });
      expect(await notes.createList(600, { body: 'pinned ok' })).toHaveLength(600);
      const error = await notes.insertMany(withBadRow(900, 899, 'pinned bad'), { copyThreshold: 0 }).catch((e) => e);
      expect(error).toMatchObject({ constraint: 'notes_small_positive', row: 899 });
      expect(await count("body = 'pinned bad'", transaction.pool)).toBe(0);
      expect(await count("body = 'pinned ok'", transaction.pool)).toBe(600);
    } finally {
      await transaction.rollback();
    }
    expect(await count("body LIKE 'pinned%'")).toBe(0);
  });

  test('on a client with its own transaction open: a savepoint, the transaction goes on', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      const notes = note.bind(client, { seed: 8 });
      await notes.createList(500, { body: 'client ok' });
      await expect(notes.insertMany(withBadRow(500, 10, 'client bad'))).rejects.toMatchObject({ row: 10 });
      expect(await count("body = 'client ok'", client)).toBe(500);
      expect(await count("body = 'client bad'", client)).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});

describe('the COPY threshold', () => {
  const kinds = async (work: () => Promise<unknown>) => {
    const { sent } = await statements(work);
    return { copy: sent.includes('COPY'), insert: sent.includes('INSERT') };
  };

  test('below it INSERT ... unnest, from it on COPY; the option overrides it', async () => {
    const notes = note.bind(pool, { seed: 9 });
    expect(DEFAULT_COPY_THRESHOLD).toBe(500);
    expect(await kinds(() => notes.createList(DEFAULT_COPY_THRESHOLD - 1))).toEqual({ copy: false, insert: true });
    expect(await kinds(() => notes.createList(DEFAULT_COPY_THRESHOLD))).toEqual({ copy: true, insert: false });
    expect(await kinds(() => notes.createList(3, {}, { copyThreshold: 3 }))).toEqual({ copy: true, insert: false });
    expect(await kinds(() => notes.insertList(900, {}, { copyThreshold: Infinity }))).toEqual({
      copy: false,
      insert: true,
    });
    const never = note.bind(pool, { seed: 10, copyThreshold: Infinity });
    expect(await kinds(() => never.createList(600))).toEqual({ copy: false, insert: true });
    await expect(notes.createList(1, {}, { copyThreshold: -1 })).rejects.toBeInstanceOf(FactoryValidationError);
    expect(() => note.bind(pool, { copyThreshold: Number.NaN })).toThrow(FactoryValidationError);
  });

  test('a connection that cannot stream (a bare query function) uses INSERT whatever the count', async () => {
    const bare = { query: (text: string, values?: unknown[]) => pool.query(text, values) };
    const notes = note.bind(bare as never, { seed: 11 });
    expect(await kinds(() => notes.createList(600, { body: 'bare' }))).toEqual({ copy: false, insert: true });
    expect(await count("body = 'bare'")).toBe(600);
  });
});
