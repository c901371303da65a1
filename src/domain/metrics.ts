import type { Faker } from '@faker-js/faker';
import { belongsTo, defineFactory, type Factory, FactoryValidationError } from '../factories/index.js';
import { type CandleInterval, INTERVAL_MS } from './candles.js';
import { checkSeries } from './series.js';
import { tradingSessionFactory } from './sessions.js';

/** A row of `performance_metrics` as `create` returns it. */
export interface PerformanceMetric {
  time: Date;
  sessionId: string | null;
  metric: string;
  value: number;
  metadata: Record<string, unknown>;
}

export type PerformanceMetricTrait = 'equity' | 'drawdown' | 'winRate' | 'sharpe';
export type PerformanceMetricSpec = { traits: PerformanceMetricTrait; associations: 'session' };

export const performanceMetricFactory = defineFactory<PerformanceMetric, PerformanceMetricSpec>({
  name: 'performanceMetric',
  table: 'performance_metrics',
  defaults: ({ faker, refDate, sequence }) => ({
    time: new Date(refDate.getTime() + (sequence - 1) * 60_000),
    sessionId: null,
    metric: 'equity',
    value: Math.round(faker.number.float({ min: 9_000, max: 11_000 }) * 100) / 100,
    metadata: {},
  }),
  associations: {
    session: belongsTo(() => tradingSessionFactory, { foreignKey: 'sessionId' }),
  },
  traits: {
    equity: ({ faker }) => ({ metric: 'equity', value: Math.round(faker.number.float({ min: 9_000, max: 11_000 })) }),
    drawdown: ({ faker }) => ({
      metric: 'drawdown',
      value: faker.number.float({ min: 0, max: 0.25, fractionDigits: 4 }),
    }),
    winRate: ({ faker }) => ({ metric: 'win_rate', value: faker.number.float({ min: 0, max: 1, fractionDigits: 4 }) }),
    sharpe: ({ faker }) => ({ metric: 'sharpe', value: faker.number.float({ min: -1, max: 3, fractionDigits: 4 }) }),
  },
  validate: (check, row) => {
    check.required('metric').date('time');
    check.rule('value', typeof row.value === 'number' && Number.isFinite(row.value), 'must be a finite number');
  },
});

export interface MetricSeriesOptions {
  /** The session the metrics belong to (a row or its id); default: one new session. */
  session?: { id: string } | string | null;
  /** Metric names, each gets `count` points (default ['equity']). */
  metrics?: readonly string[];
  count: number;
  from?: Date;
  /** Spacing of points (default '1h'). */
  interval?: CandleInterval;
  /** First value of every metric (default 10,000). */
  start?: number;
  /** Relative step of the random walk (default 0.01). */
  volatility?: number;
  batchSize?: number;
  /** From this many rows on the series is written with COPY (default: the factory set's, 500; Infinity: never). */
  copyThreshold?: number;
}

/** Checks a metric series' options before anything (its session included) is written. */
export function checkMetricSeries(options: MetricSeriesOptions): void {
  checkSeries('performanceMetric', options, { start: options.start });
  if (!INTERVAL_MS[options.interval ?? '1h']) {
    throw new FactoryValidationError('performanceMetric', 'interval', options.interval, 'is not an interval');
  }
}

/** Points of a random walk per metric, contiguous on the interval. */
export function metricSeriesRows(
  options: MetricSeriesOptions,
  sessionId: string | null,
  faker: Faker,
  refDate: Date,
): PerformanceMetric[] {
  const step = INTERVAL_MS[options.interval ?? '1h'];
  if (!step) throw new FactoryValidationError('performanceMetric', 'interval', options.interval, 'is not an interval');
  const start = (options.from ?? refDate).getTime();
  const rows: PerformanceMetric[] = [];
  for (const metric of options.metrics ?? ['equity']) {
    let value = options.start ?? 10_000;
    for (let index = 0; index < options.count; index++) {
      rows.push({ time: new Date(start + index * step), sessionId, metric, value, metadata: {} });
      value =
        Math.round(value * (1 + (options.volatility ?? 0.01) * faker.number.float({ min: -1, max: 1 })) * 1e4) / 1e4;
    }
  }
  return rows;
}

export type PerformanceMetricFactory = Factory<PerformanceMetric, PerformanceMetricSpec, true> & {
  /** Inserts a metric series per session (one statement per batch) and returns it. */
  series(options: MetricSeriesOptions): Promise<PerformanceMetric[]>;
};
