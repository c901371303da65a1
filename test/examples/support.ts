/**
 * Shared by the example repository tests: the `test` they use and the seeding helpers.
 *
 * `test` is the kit's own vitest fixture, as a user would have it: each file gets a clone of
 * the migrated template, each test runs in a transaction that is rolled back afterwards, and
 * `db.pool` (the pool handed to the repositories) routes every query into that transaction.
 */
import pg from 'pg';
import {
  type AgentSignal,
  type AgentStatus,
  createRepositories,
  EMBEDDING_DIMENSIONS,
  type LlmDecision,
  type Metric,
  type Order,
  type Position,
  type Trade,
  type TradingSession,
} from '../../examples/repository/index.js';
import { test as kit } from '../../src/vitest/index.js';

export const test = kit.extend('repos', async ({ db }) => createRepositories(db.pool));

type Seeded = { id: string };
type Overrides<T> = { [K in keyof T]?: T[K] | null };

let sequence = 0;
const next = () => ++sequence;

const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** INSERT of the given camelCase fields (undefined ones left to column defaults), returning `returning`. */
async function insert<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  table: string,
  fields: Record<string, unknown>,
  returning = 'id::text AS id',
): Promise<R> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  const columns = entries.map(([field]) => pg.escapeIdentifier(snake(field))).join(', ');
  const params = entries.map((_, index) => `$${index + 1}`).join(', ');
  const { rows } = await pool.query<R>(
    `INSERT INTO ${table} (${columns}) VALUES (${params}) RETURNING ${returning}`,
    entries.map(([, value]) => value),
  );
  const [row] = rows;
  if (row === undefined) throw new Error(`nothing inserted into ${table}`);
  return row;
}

export async function seedSession(pool: pg.Pool, overrides: Overrides<TradingSession> = {}): Promise<Seeded> {
  return insert(pool, 'trading_sessions', { mode: 'PAPER', symbol: 'BTCUSDT', initialCapital: '10000', ...overrides });
}

/** An order (NEW, MARKET BUY 1 BTCUSDT by default), in a new session unless `sessionId` is given. */
export async function seedOrder(pool: pg.Pool, overrides: Overrides<Order> = {}): Promise<Seeded> {
  const sessionId = overrides.sessionId ?? (await seedSession(pool)).id;
  return insert(pool, 'orders', {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    quantity: '1',
    ...overrides,
    sessionId,
  });
}

/** A fill of an order (a new one unless `orderId` is given) in the order's session. */
export async function seedTrade(pool: pg.Pool, overrides: Overrides<Trade> = {}): Promise<Seeded> {
  const orderId = overrides.orderId ?? (await seedOrder(pool, { sessionId: overrides.sessionId ?? null })).id;
  const { rows } = await pool.query<{ sessionId: string }>(
    'SELECT session_id AS "sessionId" FROM orders WHERE id = $1',
    [orderId],
  );
  return insert(pool, 'trades', {
    symbol: 'BTCUSDT',
    side: 'BUY',
    price: '100',
    quantity: '1',
    quoteQuantity: '100',
    sessionId: rows[0]?.sessionId,
    ...overrides,
    orderId,
  });
}

/** An open LONG position (1 @ 100 on BTCUSDT by default), in a new session unless `sessionId` is given. */
export async function seedPosition(pool: pg.Pool, overrides: Overrides<Position> = {}): Promise<Seeded> {
  const sessionId = overrides.sessionId ?? (await seedSession(pool)).id;
  return insert(pool, 'positions', {
    symbol: 'BTCUSDT',
    side: 'LONG',
    entryPrice: '100',
    quantity: '1',
    ...overrides,
    sessionId,
  });
}

/** A RUNNING agent with a unique name; returns its name. */
export async function seedAgent(pool: pg.Pool, overrides: Overrides<AgentStatus> = {}): Promise<{ name: string }> {
  return insert(
    pool,
    'agent_status',
    { name: `agent-${next()}`, type: 'analyst', status: 'RUNNING', ...overrides },
    'name',
  );
}

export async function seedSignal(pool: pg.Pool, overrides: Overrides<AgentSignal> = {}): Promise<Seeded> {
  return insert(pool, 'agent_signals', {
    agentName: 'agent',
    symbol: 'BTCUSDT',
    signal: 'BUY',
    confidence: '0.5',
    ...overrides,
  });
}

/** An LLM decision; `embedding` is given as numbers. */
export async function seedDecision(
  pool: pg.Pool,
  overrides: Overrides<Omit<LlmDecision, 'embedding'>> & { embedding?: readonly number[] } = {},
): Promise<Seeded> {
  const { embedding, ...rest } = overrides;
  return insert(pool, 'llm_decisions', {
    agentName: 'llm-agent',
    model: 'gpt-test',
    prompt: `prompt ${next()}`,
    response: 'response',
    decision: 'HOLD',
    embedding: embedding === undefined ? undefined : `[${embedding.join(',')}]`,
    ...rest,
  });
}

export async function seedMetric(pool: pg.Pool, overrides: Overrides<Metric> = {}): Promise<void> {
  await insert(pool, 'performance_metrics', { time: new Date(), metric: 'equity', value: 1, ...overrides }, 'metric');
}

/** A 1536-dimension embedding: `weights[i]` at dimension i, zero elsewhere. */
export function embedding(...weights: number[]): number[] {
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, index) => weights[index] ?? 0);
}
