/**
 * An example repository layer over pg for the reference trading schema (fixtures/migrations):
 * the kit's own suite tests it the way a user would test theirs. This file is its only door.
 */
import type pg from 'pg';
import { AgentRepository } from './agents.js';
import { CandleRepository } from './candles.js';
import { LlmDecisionRepository } from './llm.js';
import { MetricRepository } from './metrics.js';
import { OrderRepository } from './orders.js';
import { PositionRepository } from './positions.js';
import { SessionRepository } from './sessions.js';
import { TradeRepository } from './trades.js';

export { AgentRepository } from './agents.js';
export { CandleRepository, type OhlcvQuery, type OnConflict } from './candles.js';
export { type Health, health, type PoolStats, ping, poolStats } from './connection.js';
export { type Queryable, transaction } from './db.js';
export {
  ConstraintViolationError,
  InvalidTransitionError,
  NotFoundError,
  RepositoryError,
  ValidationError,
} from './errors.js';
export { EMBEDDING_DIMENSIONS, LlmDecisionRepository } from './llm.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './mapping.js';
export { type MetricAggregate, MetricRepository, type SeriesQuery } from './metrics.js';
export { canTransition, ORDER_TRANSITIONS, OrderRepository } from './orders.js';
export { PositionRepository, type PositionTotals } from './positions.js';
export { SessionRepository } from './sessions.js';
export { TradeRepository } from './trades.js';
export type * from './types.js';

export interface Repositories {
  sessions: SessionRepository;
  orders: OrderRepository;
  trades: TradeRepository;
  positions: PositionRepository;
  agents: AgentRepository;
  llm: LlmDecisionRepository;
  candles: CandleRepository;
  metrics: MetricRepository;
}

/** Every repository over one pool. */
export function createRepositories(pool: pg.Pool): Repositories {
  return {
    sessions: new SessionRepository(pool),
    orders: new OrderRepository(pool),
    trades: new TradeRepository(pool),
    positions: new PositionRepository(pool),
    agents: new AgentRepository(pool),
    llm: new LlmDecisionRepository(pool),
    candles: new CandleRepository(pool),
    metrics: new MetricRepository(pool),
  };
}
