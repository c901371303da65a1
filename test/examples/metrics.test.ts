import { describe, expect } from 'vitest';
import { test } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe('performance metrics (hypertable)', () => {
  test('record stores a point, by default now and without session', async ({ db, repos, factories }) => {
    const before = Date.now();
    const point = await repos.metrics.record({ metric: 'equity', value: 10_000.5 });
    expect(point).toMatchObject({ metric: 'equity', value: 10_000.5, sessionId: null, metadata: {} });
    expect(point.time.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    const session = await factories.tradingSession.create();
    const given = await repos.metrics.record({
      metric: 'drawdown',
      value: -0.125,
      sessionId: session.id,
      time: at(3),
      metadata: { unit: 'ratio' },
    });
    expect(given).toEqual({
      metric: 'drawdown',
      value: -0.125,
      sessionId: session.id,
      time: at(3),
      metadata: { unit: 'ratio' },
    });
    const { rows } = await db.pool.query<{ hypertable_name: string }>(
      'SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1',
    );
    expect(rows.map((row) => row.hypertable_name)).toEqual(['candlesticks', 'performance_metrics']);
  });

  test('series returns the raw points of one metric in time order, filtered', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const metric = factories.performanceMetric;
    await metric.create({ metric: 'equity', value: 3, time: at(3), session });
    await metric.create({ metric: 'equity', value: 1, time: at(1), session });
    await metric.create({ metric: 'equity', value: 2, time: at(2), session: null });
    await metric.create({ metric: 'pnl', value: 9, time: at(2), session });
    expect(await repos.metrics.series('equity')).toEqual([
      { time: at(1), value: 1 },
      { time: at(2), value: 2 },
      { time: at(3), value: 3 },
    ]);
    expect(await repos.metrics.series('equity', { sessionId: session.id })).toEqual([
      { time: at(1), value: 1 },
      { time: at(3), value: 3 },
    ]);
    expect(await repos.metrics.series('equity', { sessionId: null })).toEqual([{ time: at(2), value: 2 }]);
    expect(await repos.metrics.series('equity', { from: at(2), to: at(3) })).toEqual([{ time: at(2), value: 2 }]);
    expect(await repos.metrics.series('nothing')).toEqual([]);
  });

  test('series reads back a generated random walk exactly, per session and metric', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const points = await factories.performanceMetric.series({
      session,
      metrics: ['equity', 'drawdown'],
      count: 48,
      from: at(0),
      interval: '1h',
    });
    await factories.performanceMetric.series({ metrics: ['equity'], count: 5, from: at(0) });
    const walk = (metric: string) =>
      points.filter((point) => point.metric === metric).map(({ time, value }) => ({ time, value }));
    const equity = walk('equity');
    expect(equity).toHaveLength(48);
    expect(await repos.metrics.series('equity', { sessionId: session.id })).toEqual(equity);
    expect(await repos.metrics.series('drawdown', { sessionId: session.id })).toEqual(walk('drawdown'));
    const daily = await repos.metrics.series('equity', { sessionId: session.id, bucket: '1 day', aggregate: 'last' });
    expect(daily).toEqual([
      { time: at(0), value: equity[23]?.value },
      { time: at(24 * 60), value: equity[47]?.value },
    ]);
  });

  test('series with a bucket folds the points with time_bucket', async ({ repos, factories }) => {
    const values = [1, 2, 4, 8, 16, 32];
    await factories.performanceMetric.createList(values.length, (index) => ({
      metric: 'latency',
      value: values[index],
      time: at(index * 10),
      session: null,
    }));
    const bucketed = (aggregate?: 'avg' | 'min' | 'max' | 'sum' | 'last') =>
      repos.metrics.series('latency', { bucket: '30 minutes', aggregate });
    expect(await bucketed()).toEqual([
      { time: at(0), value: 7 / 3 },
      { time: at(30), value: 56 / 3 },
    ]);
    expect((await bucketed('min')).map((p) => p.value)).toEqual([1, 8]);
    expect((await bucketed('max')).map((p) => p.value)).toEqual([4, 32]);
    expect((await bucketed('sum')).map((p) => p.value)).toEqual([7, 56]);
    expect((await bucketed('last')).map((p) => p.value)).toEqual([4, 32]);
    const hourly = await repos.metrics.series('latency', {
      bucket: '1 hour',
      aggregate: 'sum',
      from: at(10),
      to: at(50),
    });
    expect(hourly).toEqual([{ time: at(0), value: 2 + 4 + 8 + 16 }]);
  });

  test('latest returns the newest point of every metric, per session or global', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const metric = factories.performanceMetric;
    await metric.create({ metric: 'equity', value: 100, time: at(1), session });
    await metric.create({ metric: 'equity', value: 101, time: at(5), session });
    await metric.with('sharpe').create({ value: 1.5, time: at(2), session });
    await metric.create({ metric: 'equity', value: 999, time: at(9), session: null });
    const latest = await repos.metrics.latest(session.id);
    expect(latest.map(({ metric, value, time }) => ({ metric, value, time }))).toEqual([
      { metric: 'equity', value: 101, time: at(5) },
      { metric: 'sharpe', value: 1.5, time: at(2) },
    ]);
    expect((await repos.metrics.latest(null)).map((point) => point.value)).toEqual([999]);
  });
});
