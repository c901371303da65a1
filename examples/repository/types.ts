/**
 * Row types of the reference schema in camelCase, and the inputs of the repositories.
 * Money and quantities are decimal strings exactly as PostgreSQL `numeric` returns them
 * (e.g. '18.50000000'); arithmetic on them happens in SQL, never in JavaScript floats.
 */

/** A base-10 number as text, e.g. '0.1' or '100.00000000'. */
export type Decimal = string;
export type JsonObject = Record<string, unknown>;

export type SessionMode = 'PAPER' | 'LIVE';
export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type PositionSide = 'LONG' | 'SHORT' | 'FLAT';
export type AgentState = 'STARTING' | 'RUNNING' | 'STOPPED' | 'ERROR';
export type Signal = 'BUY' | 'SELL' | 'HOLD';
export type Outcome = 'PENDING' | 'SUCCESS' | 'FAILURE' | 'NEUTRAL';
export type CandleInterval = '1m' | '3m' | '5m' | '15m' | '30m' | '1h' | '2h' | '4h' | '6h' | '12h' | '1d' | '1w';

export interface PageOptions {
  /** 1..1000, default 50. */
  limit?: number;
  /** Rows to skip, default 0. */
  offset?: number;
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  /** Offset of the next page, or null when this page is the last. */
  nextOffset: number | null;
}

export interface TradingSession {
  id: string;
  mode: SessionMode;
  symbol: string;
  exchange: string;
  startedAt: Date;
  stoppedAt: Date | null;
  initialCapital: Decimal;
  finalCapital: Decimal | null;
  totalTrades: number;
  winningTrades: number;
  losingTrades: number;
  totalPnl: Decimal;
  maxDrawdown: Decimal;
  sharpeRatio: Decimal | null;
  config: JsonObject;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewSession {
  mode: SessionMode;
  symbol: string;
  initialCapital: Decimal;
  exchange?: string;
  startedAt?: Date;
  config?: JsonObject;
  metadata?: JsonObject;
}

/** Fields left out stay as they are. */
export interface SessionStats {
  totalTrades?: number;
  winningTrades?: number;
  losingTrades?: number;
  totalPnl?: Decimal;
  maxDrawdown?: Decimal;
  sharpeRatio?: Decimal | null;
}

export interface Order {
  id: string;
  sessionId: string;
  positionId: string | null;
  exchangeOrderId: string | null;
  symbol: string;
  exchange: string;
  side: OrderSide;
  type: OrderType;
  status: OrderStatus;
  price: Decimal | null;
  stopPrice: Decimal | null;
  quantity: Decimal;
  executedQuantity: Decimal;
  executedQuoteQuantity: Decimal;
  timeInForce: TimeInForce | null;
  placedAt: Date;
  filledAt: Date | null;
  canceledAt: Date | null;
  errorMessage: string | null;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewOrder {
  sessionId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: Decimal;
  positionId?: string | null;
  exchangeOrderId?: string | null;
  exchange?: string;
  price?: Decimal | null;
  stopPrice?: Decimal | null;
  timeInForce?: TimeInForce | null;
  placedAt?: Date;
  metadata?: JsonObject;
}

/** The next status of an order and what comes with it. */
export type OrderStatusChange =
  /** Cumulative executed quantities: above zero, below the order quantity, never decreasing. */
  | { status: 'PARTIALLY_FILLED'; executedQuantity: Decimal; executedQuoteQuantity: Decimal }
  /** The whole quantity is executed; the quote quantity keeps its last value unless given. */
  | { status: 'FILLED'; executedQuoteQuantity?: Decimal; filledAt?: Date }
  | { status: 'CANCELED'; canceledAt?: Date }
  | { status: 'REJECTED'; errorMessage: string }
  | { status: 'EXPIRED' };

export interface Trade {
  id: string;
  orderId: string;
  sessionId: string;
  exchangeTradeId: string | null;
  symbol: string;
  exchange: string;
  side: OrderSide;
  price: Decimal;
  quantity: Decimal;
  quoteQuantity: Decimal;
  commission: Decimal;
  commissionAsset: string | null;
  executedAt: Date;
  isMaker: boolean;
  metadata: JsonObject;
  createdAt: Date;
}

/** Session, symbol, exchange and side come from the order; quoteQuantity defaults to price × quantity. */
export interface NewTrade {
  orderId: string;
  price: Decimal;
  quantity: Decimal;
  quoteQuantity?: Decimal;
  commission?: Decimal;
  commissionAsset?: string | null;
  exchangeTradeId?: string | null;
  executedAt?: Date;
  isMaker?: boolean;
  metadata?: JsonObject;
}

export interface Position {
  id: string;
  sessionId: string;
  symbol: string;
  exchange: string;
  side: PositionSide;
  entryPrice: Decimal;
  exitPrice: Decimal | null;
  quantity: Decimal;
  entryTime: Date;
  exitTime: Date | null;
  stopLoss: Decimal | null;
  takeProfit: Decimal | null;
  realizedPnl: Decimal | null;
  unrealizedPnl: Decimal | null;
  fees: Decimal;
  entryReason: string | null;
  exitReason: string | null;
  metadata: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPosition {
  sessionId: string;
  symbol: string;
  side: PositionSide;
  entryPrice: Decimal;
  quantity: Decimal;
  exchange?: string;
  entryTime?: Date;
  stopLoss?: Decimal | null;
  takeProfit?: Decimal | null;
  /** Fees already paid to open; counted in `fees`, not deducted from realized PnL. */
  fees?: Decimal;
  entryReason?: string | null;
  metadata?: JsonObject;
}

/** What may change on an open position; null clears a field, a missing key keeps it. */
export interface PositionPatch {
  stopLoss?: Decimal | null;
  takeProfit?: Decimal | null;
  entryReason?: string | null;
  metadata?: JsonObject;
}

export interface PartialCloseResult {
  position: Position;
  /** PnL booked by this partial close, net of its fees. */
  realizedPnl: Decimal;
}

export type * from './agent-types.js';
export type * from './series-types.js';
