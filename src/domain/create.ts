import type { SqlTarget } from '../connection/index.js';
import {
  type Bound,
  checkCopyThreshold,
  copyBatches,
  DEFAULT_BATCH_SIZE,
  type Factory,
  FactoryContext,
  type FactoryContextOptions,
  type FactorySpec,
} from '../factories/index.js';
import { agentSignalFactory, agentStatusFactory } from './agents.js';
import {
  type CandleSeriesOptions,
  type Candlestick,
  type CandlestickFactory,
  candleSeriesBatches,
  candlestickFactory,
} from './candles.js';
import { type EmbeddingSource, similarTo } from './embeddings.js';
import { createGraph, type GraphOptions, type TradingGraph } from './graph.js';
import { llmDecisionFactory } from './llm.js';
import {
  checkMetricSeries,
  type MetricSeriesOptions,
  metricSeriesRows,
  type PerformanceMetricFactory,
  performanceMetricFactory,
} from './metrics.js';
import { orderFactory } from './orders.js';
import { positionFactory } from './positions.js';
import { pipelined } from './series.js';
import { tradingSessionFactory } from './sessions.js';
import { tradeFactory } from './trades.js';

export type CreateFactoriesOptions = FactoryContextOptions;

/** Candles generated at a time while a series streams into its COPY. */
const COPY_BATCH = 1_000;

/** Every domain factory bound to one database, seed and set of sequences. */
export interface Factories {
  tradingSession: Bound<typeof tradingSessionFactory>;
  order: Bound<typeof orderFactory>;
  trade: Bound<typeof tradeFactory>;
  position: Bound<typeof positionFactory>;
  agentStatus: Bound<typeof agentStatusFactory>;
  agentSignal: Bound<typeof agentSignalFactory>;
  llmDecision: Bound<typeof llmDecisionFactory>;
  candlestick: CandlestickFactory;
  performanceMetric: PerformanceMetricFactory;
  /** The seed in use: print it when a test fails, replay with TIMESCALE_TESTKIT_SEED. */
  readonly seed: number;
  readonly refDate: Date;
  readonly context: FactoryContext;
  /** Restart sequences and reseed every faker (between tests). */
  resetSequences(): void;
  /** Forget the columns read from the catalog (after DDL in a test): the next create reads them again. */
  forgetColumns(): void;
  /** Your own factory bound to the same database, seed and sequences. */
  use<Row extends object, S extends FactorySpec>(factory: Factory<Row, S, boolean>): Factory<Row, S, true>;
  /** A vector at exactly `cosine` similarity to `target`, drawn from this set's seed. */
  similarTo(target: EmbeddingSource, cosine: number): number[];
  /** Sessions with orders with trades, level by level. */
  graph(options?: GraphOptions): Promise<TradingGraph>;
  /** Ends the pool opened for a connection string (no-op otherwise). */
  end(): Promise<void>;
}

/**
 * Binds all domain factories to `db` (a connection string, a pg Pool, Client or PoolClient, or
 * a database the kit handed out) with one seed: the same seed gives the same rows.
 *
 * @example
 * ```ts
 * const factories = createFactories(db.pool, { seed: 42 })
 * const order = await factories.order.create({ status: 'NEW' })      // its session is created too
 * await factories.trade.createList(3, { order })
 * ```
 */
export function createFactories(db: SqlTarget, options: CreateFactoriesOptions = {}): Factories {
  const context = new FactoryContext(db, options);
  const candlestick = candlestickFactory.bind(context);
  const performanceMetric = performanceMetricFactory.bind(context);
  const tradingSession = tradingSessionFactory.bind(context);
  function candleSeries(series: CandleSeriesOptions & { returning: false }): Promise<number>;
  function candleSeries(series: CandleSeriesOptions): Promise<Awaited<ReturnType<typeof candlestick.create>>[]>;
  async function candleSeries(series: CandleSeriesOptions & { returning?: boolean }) {
    const size = Math.max(1, series.batchSize ?? DEFAULT_BATCH_SIZE);
    const threshold = checkCopyThreshold(series.copyThreshold, candlestickFactory.name) ?? context.copyThreshold;
    // from the threshold on: one COPY, each candle generated as the COPY streams (small batches,
    // so the server parses a chunk while the next is made); else INSERT ... unnest batches
    const copying = series.count >= threshold;
    const faker = context.faker(candlestickFactory.definition);
    const generated = copying ? COPY_BATCH : size;
    const generator = candleSeriesBatches(series, faker, context.refDate, generated);
    // valid by construction (integer OHLC arithmetic): no per-row rules on the hot path
    const options = { validate: false, batchSize: size, copyThreshold: Number.POSITIVE_INFINITY };
    const returning = series.returning !== false;
    // one transaction: a series the database refuses half-way leaves nothing behind
    return context.transaction(async (bound) => {
      let batches: Iterable<Candlestick[]> = generator;
      if (copying) {
        const copied = await copyBatches(candlestickFactory.definition, bound, generator, { returning });
        if (!(typeof copied === 'object' && 'unserved' in copied)) return copied;
        batches = copied.unserved as Iterable<Candlestick[]>;
      }
      const candles = candlestickFactory.bind(bound);
      if (!returning) {
        const counts = await pipelined(batches, generated, (rows) =>
          candles.insertMany(rows, { ...options, returning: false }),
        );
        return counts.reduce((sum, count) => sum + count, 0);
      }
      return (await pipelined(batches, generated, (rows) => candles.insertMany(rows, options))).flat();
    }, candlestickFactory.name);
  }
  const metricSeries = async (series: MetricSeriesOptions) => {
    checkMetricSeries(series);
    return context.transaction(async (bound) => {
      let sessionId: string | null;
      if (series.session === undefined) sessionId = (await tradingSessionFactory.bind(bound).create()).id;
      else {
        sessionId = typeof series.session === 'string' || series.session === null ? series.session : series.session.id;
      }
      const rows = metricSeriesRows(series, sessionId, bound.faker(performanceMetricFactory.definition), bound.refDate);
      const options = {
        ...(series.batchSize === undefined ? {} : { batchSize: series.batchSize }),
        ...(series.copyThreshold === undefined ? {} : { copyThreshold: series.copyThreshold }),
      };
      return performanceMetricFactory.bind(bound).insertMany(rows, options);
    }, performanceMetricFactory.name);
  };
  const factories: Factories = {
    tradingSession,
    order: orderFactory.bind(context),
    trade: tradeFactory.bind(context),
    position: positionFactory.bind(context),
    agentStatus: agentStatusFactory.bind(context),
    agentSignal: agentSignalFactory.bind(context),
    llmDecision: llmDecisionFactory.bind(context),
    candlestick: Object.assign(candlestick, { series: candleSeries }),
    performanceMetric: Object.assign(performanceMetric, { series: metricSeries }),
    seed: context.seed,
    refDate: context.refDate,
    context,
    resetSequences: () => context.resetSequences(),
    forgetColumns: () => context.forgetColumns(),
    use: (factory) => factory.bind(context),
    similarTo: (target, cosine) => similarTo(target, cosine, { faker: context.faker(llmDecisionFactory.definition) }),
    graph: (graph) =>
      context.transaction(
        (bound) =>
          createGraph(
            {
              tradingSession: tradingSessionFactory.bind(bound),
              order: orderFactory.bind(bound),
              trade: tradeFactory.bind(bound),
            },
            graph,
          ),
        'graph',
      ),
    end: () => context.end(),
  };
  return factories;
}

/** The unbound domain factories, in dependency order (parents first). */
export const domainFactories = [
  tradingSessionFactory,
  positionFactory,
  orderFactory,
  tradeFactory,
  agentStatusFactory,
  agentSignalFactory,
  llmDecisionFactory,
  candlestickFactory,
  performanceMetricFactory,
] as const;
