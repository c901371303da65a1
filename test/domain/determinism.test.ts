import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFactories, type Factories } from '../../src/index.js';
import { schemaDatabase } from '../support/server.js';

type Database = Awaited<ReturnType<typeof schemaDatabase>>;

const TABLES: Record<string, string> = {
  trading_sessions: 'id',
  orders: 'id',
  trades: 'id',
  positions: 'id',
  agent_status: 'name',
  agent_signals: 'id',
  llm_decisions: 'id',
  candlesticks: 'time, symbol',
  performance_metrics: 'time, metric, session_id',
};

const databases: Database[] = [];
const pools: pg.Pool[] = [];

async function scenario(factories: Factories) {
  const graph = await factories.graph({
    sessions: 2,
    ordersPerSession: 2,
    tradesPerOrder: 2,
    orderTraits: ['limit', 'filled'],
  });
  const positions = await factories.position
    .with('short', 'closed', 'withStops')
    .createList(3, { session: graph.sessions[0] });
  const agents = await factories.agentStatus.with('staleHeartbeat').createList(2);
  const signals = await factories.agentSignal.createList(3);
  const anchor = await factories.llmDecision.create({ session: graph.sessions[1] });
  const neighbour = await factories.llmDecision.create({ embedding: factories.similarTo(anchor, 0.8) });
  const candles = await factories.candlestick.series({ symbol: 'SOLUSDT', count: 50, interval: '5m' });
  const metrics = await factories.performanceMetric.series({ session: graph.sessions[0], count: 10 });
  const extra = await factories.candlestick.with('bullish').createList(2);
  return { graph, positions, agents, signals, anchor, neighbour, candles, metrics, extra };
}

async function dump(pool: pg.Pool): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const { rows } = await pool.query(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY ${order}`);
    result[table] = rows.map((row) => row.row);
  }
  return result;
}

beforeAll(async () => {
  for (const prefix of ['det_a', 'det_b']) {
    const database = await schemaDatabase(prefix);
    databases.push(database);
    pools.push(new pg.Pool({ connectionString: database.url, max: 2 }));
  }
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await Promise.all(databases.map((database) => database.drop()));
});

describe('determinism', () => {
  test('two databases, the same seed: identical rows, dates included', async () => {
    const [a, b] = pools as [pg.Pool, pg.Pool];
    const first = await scenario(createFactories(a, { seed: 2024 }));
    const second = await scenario(createFactories(b, { seed: 2024 }));
    expect(second).toEqual(first);
    const [dumpA, dumpB] = [await dump(a), await dump(b)];
    expect(dumpB).toEqual(dumpA);
    expect((dumpA.trades as unknown[]).length).toBe(8);
    expect(first.graph.sessions[0]?.startedAt.getTime()).toBeLessThan(Date.parse('2024-01-01T00:00:00Z'));
  });

  test('another seed gives other rows; resetSequences replays the same rows', async () => {
    const [a] = pools as [pg.Pool];
    const one = createFactories(a, { seed: 1 });
    const other = createFactories(a, { seed: 2 });
    expect(other.order.build()).not.toEqual(one.order.build());
    const replay = createFactories(a, { seed: 3 });
    const before = replay.order.buildList(2);
    replay.resetSequences();
    expect(replay.order.buildList(2)).toEqual(before);
  });

  test('fakers a finished set of factories handed back draw, for the next set, what new ones draw', () => {
    const [a] = pools as [pg.Pool];
    const expected = createFactories(a, { seed: 7 });
    const rows = { orders: expected.order.buildList(3), signal: expected.agentSignal.build() };
    // another seed, another reference date, fakers part-way through their sequences
    const previous = createFactories(a, { seed: 99, refDate: new Date('2030-06-01T00:00:00Z') });
    previous.order.buildList(5);
    previous.agentSignal.buildList(2);
    previous.context.release();
    const next = createFactories(a, { seed: 7 });
    expect({ orders: next.order.buildList(3), signal: next.agentSignal.build() }).toEqual(rows);
    // the released set still works: its fakers seeded anew, its sequences where they were
    const replay = createFactories(a, { seed: 99, refDate: new Date('2030-06-01T00:00:00Z') });
    const again = previous.order.build();
    expect(again.exchangeOrderId).toMatch(/^ord-6-/);
    expect({ ...again, exchangeOrderId: again.exchangeOrderId?.replace('ord-6-', 'ord-1-') }).toEqual(
      replay.order.build(),
    );
  });
});
