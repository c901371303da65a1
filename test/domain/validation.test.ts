import { describe, expect, test } from 'vitest';
import {
  agentSignalFactory,
  agentStatusFactory,
  candlestickFactory,
  llmDecisionFactory,
  orderFactory,
  performanceMetricFactory,
  positionFactory,
  tradeFactory,
  tradingSessionFactory,
} from '../../src/domain/index.js';
import { FactoryValidationError } from '../../src/index.js';

interface Case {
  name: string;
  build: () => unknown;
  factory: string;
  field: string;
  value?: unknown;
}

const bad = <T>(value: unknown) => value as T;
const later = new Date('2024-01-01T00:00:00Z');
const earlier = new Date('2023-12-31T00:00:00Z');

const cases: Case[] = [
  {
    name: 'order side',
    build: () => orderFactory.build({ side: bad('SIDEWAYS') }),
    factory: 'order',
    field: 'side',
    value: 'SIDEWAYS',
  },
  { name: 'order type', build: () => orderFactory.build({ type: bad('ICEBERG') }), factory: 'order', field: 'type' },
  { name: 'order status', build: () => orderFactory.build({ status: bad('LOST') }), factory: 'order', field: 'status' },
  {
    name: 'order quantity > 0',
    build: () => orderFactory.build({ quantity: '0' }),
    factory: 'order',
    field: 'quantity',
    value: '0',
  },
  {
    name: 'LIMIT needs a price',
    build: () => orderFactory.build({ type: 'LIMIT', price: null }),
    factory: 'order',
    field: 'price',
  },
  {
    name: 'limit trait, price overridden to null',
    build: () => orderFactory.with('limit').build({ price: null }),
    factory: 'order',
    field: 'price',
  },
  {
    name: 'STOP_LOSS needs a stop price',
    build: () => orderFactory.build({ type: 'STOP_LOSS' }),
    factory: 'order',
    field: 'stopPrice',
  },
  { name: 'price > 0', build: () => orderFactory.build({ price: '-1' }), factory: 'order', field: 'price' },
  {
    name: 'executed <= quantity',
    build: () => orderFactory.build({ quantity: '1', executedQuantity: '2' }),
    factory: 'order',
    field: 'executedQuantity',
  },
  {
    name: 'time in force',
    build: () => orderFactory.build({ timeInForce: bad('DAY') }),
    factory: 'order',
    field: 'timeInForce',
  },
  {
    name: 'FILLED has filledAt',
    build: () => orderFactory.build({ status: 'FILLED' }),
    factory: 'order',
    field: 'filledAt',
  },
  {
    name: 'quantity is a number',
    build: () => orderFactory.build({ quantity: 'lots' }),
    factory: 'order',
    field: 'quantity',
  },
  { name: 'trade side', build: () => tradeFactory.build({ side: bad('LONG') }), factory: 'trade', field: 'side' },
  { name: 'trade price', build: () => tradeFactory.build({ price: '0' }), factory: 'trade', field: 'price' },
  {
    name: 'trade quantity',
    build: () => tradeFactory.build({ quantity: '-0.1' }),
    factory: 'trade',
    field: 'quantity',
  },
  {
    name: 'trade session',
    build: () => tradeFactory.build({ sessionId: bad(null) }),
    factory: 'trade',
    field: 'sessionId',
  },
  {
    name: 'position side',
    build: () => positionFactory.build({ side: bad('BUY') }),
    factory: 'position',
    field: 'side',
  },
  {
    name: 'entry price',
    build: () => positionFactory.build({ entryPrice: '0' }),
    factory: 'position',
    field: 'entryPrice',
  },
  {
    name: 'exit price and time together',
    build: () => positionFactory.build({ exitPrice: '10' }),
    factory: 'position',
    field: 'exitTime',
  },
  {
    name: 'exit after entry',
    build: () => positionFactory.with('closed').build({ entryTime: later, exitTime: earlier }),
    factory: 'position',
    field: 'exitTime',
  },
  {
    name: 'session mode',
    build: () => tradingSessionFactory.build({ mode: bad('DEMO') }),
    factory: 'tradingSession',
    field: 'mode',
  },
  {
    name: 'initial capital',
    build: () => tradingSessionFactory.build({ initialCapital: '0' }),
    factory: 'tradingSession',
    field: 'initialCapital',
  },
  {
    name: 'wins + losses <= trades',
    build: () => tradingSessionFactory.build({ totalTrades: 1, winningTrades: 1, losingTrades: 1 }),
    factory: 'tradingSession',
    field: 'winningTrades',
  },
  {
    name: 'stopped after started',
    build: () => tradingSessionFactory.build({ startedAt: later, stoppedAt: earlier }),
    factory: 'tradingSession',
    field: 'stoppedAt',
  },
  {
    name: 'agent status',
    build: () => agentStatusFactory.build({ status: bad('IDLE') }),
    factory: 'agentStatus',
    field: 'status',
  },
  { name: 'agent pid', build: () => agentStatusFactory.build({ pid: 0 }), factory: 'agentStatus', field: 'pid' },
  {
    name: 'signal',
    build: () => agentSignalFactory.build({ signal: bad('SHORT') }),
    factory: 'agentSignal',
    field: 'signal',
  },
  {
    name: 'signal confidence <= 1',
    build: () => agentSignalFactory.build({ confidence: '1.5' }),
    factory: 'agentSignal',
    field: 'confidence',
    value: '1.5',
  },
  {
    name: 'signal confidence >= 0',
    build: () => agentSignalFactory.build({ confidence: '-0.0001' }),
    factory: 'agentSignal',
    field: 'confidence',
  },
  {
    name: 'decision confidence',
    build: () => llmDecisionFactory.build({ confidence: '2' }),
    factory: 'llmDecision',
    field: 'confidence',
  },
  {
    name: 'outcome',
    build: () => llmDecisionFactory.build({ outcome: bad('WIN') }),
    factory: 'llmDecision',
    field: 'outcome',
  },
  {
    name: 'embedding dimension',
    build: () => llmDecisionFactory.build({ embedding: [1, 2, 3] }),
    factory: 'llmDecision',
    field: 'embedding',
  },
  {
    name: 'embedding finite',
    build: () => llmDecisionFactory.build({ embedding: Array.from({ length: 1536 }, () => Number.NaN) }),
    factory: 'llmDecision',
    field: 'embedding',
  },
  { name: 'tokens', build: () => llmDecisionFactory.build({ tokens: -1 }), factory: 'llmDecision', field: 'tokens' },
  {
    name: 'interval',
    build: () => candlestickFactory.build({ interval: bad('2m') }),
    factory: 'candlestick',
    field: 'interval',
  },
  {
    name: 'high >= open',
    build: () => candlestickFactory.build({ high: '0.5' }),
    factory: 'candlestick',
    field: 'high',
  },
  {
    name: 'low <= close',
    build: () => candlestickFactory.build({ open: '10', close: '10', high: '12', low: '11' }),
    factory: 'candlestick',
    field: 'low',
  },
  { name: 'open > 0', build: () => candlestickFactory.build({ open: '0' }), factory: 'candlestick', field: 'open' },
  {
    name: 'volume >= 0',
    build: () => candlestickFactory.build({ volume: '-1' }),
    factory: 'candlestick',
    field: 'volume',
  },
  {
    name: 'candle time',
    build: () => candlestickFactory.build({ time: new Date('nope') }),
    factory: 'candlestick',
    field: 'time',
  },
  {
    name: 'metric value',
    build: () => performanceMetricFactory.build({ value: Number.NaN }),
    factory: 'performanceMetric',
    field: 'value',
  },
  {
    name: 'metric name',
    build: () => performanceMetricFactory.build({ metric: bad(null) }),
    factory: 'performanceMetric',
    field: 'metric',
  },
];

describe('validation before SQL', () => {
  test.each(cases)('$name', ({ build, factory, field, value }) => {
    let error: unknown;
    try {
      build();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FactoryValidationError);
    expect(error).toMatchObject({ code: 'FACTORY_VALIDATION', factory, field });
    if (value !== undefined) expect((error as FactoryValidationError).value).toEqual(value);
    expect((error as Error).message).toContain(field);
  });

  test('valid defaults and every trait pass', () => {
    for (const factory of [orderFactory, tradeFactory, positionFactory, tradingSessionFactory, candlestickFactory]) {
      expect(() => factory.build()).not.toThrow();
    }
    for (const trait of orderFactory.traitNames) expect(() => orderFactory.with(trait).build()).not.toThrow();
    for (const trait of positionFactory.traitNames) expect(() => positionFactory.with(trait).build()).not.toThrow();
  });
});
