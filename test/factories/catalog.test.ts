import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  belongsTo,
  defineFactory,
  FactoryError,
  forgetColumns,
  namedCatalogs,
  type RawRow,
  shareCatalogs,
  tableInfo,
  toExecutor,
} from '../../src/factories/index.js';
import { scratchDatabase } from '../support/server.js';

// What the factories read of the catalog: every table in one query, once per database, shared
// by the clones of one template, and never more than a few databases' worth in memory.

const SCHEMA = `
CREATE SCHEMA cat;
CREATE TABLE cat.teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE cat.players (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id bigint NOT NULL REFERENCES cat.teams (id),
  name text NOT NULL
);
CREATE TABLE cat."Odd Name" (id int);`;

interface Team {
  id: number;
  name: string;
}
interface Player {
  id: number;
  teamId: number;
  name: string;
}

const team = defineFactory<Team, { generated: 'id' }>({ table: 'cat.teams', defaults: () => ({ name: 'team' }) });
const player = defineFactory<Player, { generated: 'id'; associations: 'team' }>({
  table: 'cat.players',
  defaults: ({ sequence }) => ({ teamId: 0, name: `player ${sequence}` }),
  associations: { team: belongsTo(() => team, { foreignKey: 'teamId' }) },
});

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await scratchDatabase('catalog');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(SCHEMA);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** A `{ query, connect }` target that counts the catalog reads going through it (as a handle's pool, too). */
function counting() {
  const reads = { count: 0 };
  const target = {
    query: (text: string, values?: unknown[]) => {
      if (text.includes('pg_attribute')) reads.count++;
      return pool.query(text, values);
    },
    connect: () => pool.connect(),
  };
  return { target, reads };
}

describe('the catalog', () => {
  test('is read in one query for every table a graph needs', async () => {
    const { target, reads } = counting();
    const created = await player.bind(target as never, { seed: 1 }).create();
    expect(created.teamId).toBeTypeOf('number');
    expect(reads.count).toBe(1);
    // a table the first read did not know (created later, or named its own way) is read on its own
    await pool.query('CREATE TABLE cat.late (id int)');
    const executor = toExecutor(target as never);
    expect((await tableInfo(executor, 'cat.late')).columns.map((column) => column.name)).toEqual(['id']);
    expect((await tableInfo(executor, 'cat."Odd Name"')).sql).toBe('"cat"."Odd Name"');
    expect(reads.count).toBe(2);
    await expect(tableInfo(executor, 'cat.missing')).rejects.toBeInstanceOf(FactoryError);
  });

  test("the clones of one template share it; a clone's own is kept once forgotten after DDL", async () => {
    const clone = (name: string) => ({ pool, connectionString: `${database.url}?clone=${name}`, template: 'tpl_cat' });
    const [a, b] = [toExecutor(clone('a')), toExecutor(clone('b'))];
    const shared = await tableInfo(a, 'cat.teams');
    expect(await tableInfo(b, 'cat.teams')).toBe(shared);
    // a test's view of a clone names its template through the clone
    const view = { pool, connectionString: `${database.url}?clone=c`, database: { template: 'tpl_cat' } };
    expect(await tableInfo(toExecutor(view), 'cat.teams')).toBe(shared);
    forgetColumns(a.key);
    const own = await tableInfo(a, 'cat.teams');
    expect(own).not.toBe(shared);
    expect(await tableInfo(a, 'cat.teams')).toBe(own);
    expect(await tableInfo(b, 'cat.teams')).toBe(shared);
  });

  test("a clone's transactions and checked-out connections share its template's catalog", async () => {
    const clone = { pool, connectionString: `${database.url}?clone=tx`, template: 'tpl_cat_tx' };
    const executor = toExecutor(clone);
    const shared = await tableInfo(executor, 'cat.teams');
    expect(await executor.transaction((inner) => tableInfo(inner, 'cat.teams'))).toBe(shared);
    expect(await executor.withConnection((inner) => tableInfo(inner, 'cat.teams'))).toBe(shared);
    // nested: a transaction opened on a checked-out connection
    expect(
      await executor.withConnection((inner) => inner.transaction((nested) => tableInfo(nested, 'cat.teams'))),
    ).toBe(shared);
  });

  test("shares a template's catalog with the run's other processes: read by the first, then taken from the share", async () => {
    const kept = new Map<string, readonly RawRow[]>();
    const asked: string[] = [];
    shareCatalogs({
      get: async (key) => {
        asked.push(key);
        return kept.get(key);
      },
      put: async (key, rows) => {
        kept.set(key, rows);
      },
    });
    try {
      const { target, reads } = counting();
      const countingPool = target as unknown as pg.Pool;
      const clone = (name: string, tpl: string) => ({
        pool: countingPool,
        connectionString: `${database.url}?share=${name}`,
        template: tpl,
      });
      // the first process: nothing kept yet, so it reads and keeps the rows
      const first = await tableInfo(toExecutor(clone('a', 'tpl_share')), 'cat.players');
      expect(reads.count).toBe(1);
      await expect.poll(() => kept.has('template tpl_share')).toBe(true);
      // another process (here: another template name, so nothing is in this process's memory)
      kept.set('template tpl_share_2', kept.get('template tpl_share') ?? []);
      const second = await tableInfo(toExecutor(clone('b', 'tpl_share_2')), 'cat.players');
      expect(reads.count).toBe(1);
      expect(second.columns).toEqual(first.columns);
      expect(asked).toEqual(['template tpl_share', 'template tpl_share_2']);
      // a database of its own (no template) never asks the share
      await tableInfo(toExecutor({ pool: countingPool, connectionString: `${database.url}?share=own` }), 'cat.teams');
      expect(asked).toHaveLength(2);
      expect(reads.count).toBe(2);
      // a share that fails is the same as none: the catalog is read
      shareCatalogs({ get: () => Promise.reject(new Error('gone')), put: () => Promise.reject(new Error('gone')) });
      await tableInfo(toExecutor(clone('c', 'tpl_share_3')), 'cat.teams');
      expect(reads.count).toBe(3);
    } finally {
      shareCatalogs(undefined);
    }
  });

  test('stays bounded however many databases a process sees', async () => {
    for (let index = 0; index < 40; index++) {
      const handle = { pool, connectionString: `${database.url}?database=${index}` };
      await tableInfo(toExecutor(handle), 'cat.teams');
    }
    expect(namedCatalogs()).toBeLessThanOrEqual(16);
  });
});
