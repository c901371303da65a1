export {
  AGENT_STATES,
  type AgentSignal,
  type AgentSignalTrait,
  type AgentState,
  type AgentStatus,
  type AgentStatusTrait,
  agentSignalFactory,
  agentStatusFactory,
  SIGNAL_KINDS,
  type SignalKind,
} from './agents.js';
export {
  CANDLE_INTERVALS,
  type CandleInterval,
  type CandleSeriesOptions,
  type Candlestick,
  type CandlestickFactory,
  type CandlestickTrait,
  candlestickFactory,
  INTERVAL_MS,
} from './candles.js';
export { type CreateFactoriesOptions, createFactories, type Factories } from './create.js';
export {
  cosineSimilarity,
  EMBEDDING_DIMENSIONS,
  type EmbeddingSource,
  randomEmbedding,
  type SimilarToOptions,
  similarTo,
} from './embeddings.js';
export type { GraphOptions, TradingGraph } from './graph.js';
export { type LintFactoriesOptions, lintFactories } from './lint.js';
export { LLM_OUTCOMES, type LlmDecision, type LlmDecisionTrait, type LlmOutcome, llmDecisionFactory } from './llm.js';
export {
  type MetricSeriesOptions,
  type PerformanceMetric,
  type PerformanceMetricFactory,
  type PerformanceMetricTrait,
  performanceMetricFactory,
} from './metrics.js';
export {
  ORDER_STATUSES,
  ORDER_TYPES,
  type Order,
  type OrderSide,
  type OrderStatus,
  type OrderTrait,
  type OrderType,
  orderFactory,
  type TimeInForce,
} from './orders.js';
export {
  POSITION_SIDES,
  type Position,
  type PositionSide,
  type PositionTrait,
  positionFactory,
  realizedPnl,
} from './positions.js';
export { referenceMigrations } from './reference.js';
export {
  SESSION_MODES,
  type SessionMode,
  type TradingSession,
  type TradingSessionTrait,
  tradingSessionFactory,
} from './sessions.js';
export { type Trade, type TradeTrait, tradeFactory } from './trades.js';
