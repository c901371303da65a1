/** Row types and inputs of the hypertables: candlesticks and performance metrics (see types.ts). */

import type { CandleInterval, Decimal, JsonObject } from './types.js';

export interface Candle {
  time: Date;
  symbol: string;
  exchange: string;
  interval: CandleInterval;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  tradesCount: number;
}

export type NewCandle = Omit<Candle, 'exchange' | 'tradesCount'> & { exchange?: string; tradesCount?: number };

export interface OhlcvBucket {
  bucket: Date;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  tradesCount: number;
  /** Source candles in the bucket. */
  candles: number;
}

export interface Metric {
  time: Date;
  sessionId: string | null;
  metric: string;
  value: number;
  metadata: JsonObject;
}

export interface NewMetric {
  metric: string;
  value: number;
  sessionId?: string | null;
  time?: Date;
  metadata?: JsonObject;
}

export interface MetricPoint {
  time: Date;
  value: number;
}
