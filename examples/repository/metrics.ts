import type pg from 'pg';
import { one, query } from './db.js';
import { type Columns, selectList } from './mapping.js';
import type { Metric, MetricPoint, NewMetric } from './types.js';

const ENTITY = 'performance_metric';

const COLUMNS: Columns<Metric> = {
  time: 'time',
  sessionId: 'session_id',
  metric: 'metric',
  value: 'value',
  metadata: 'metadata',
};
const SELECT = selectList(COLUMNS);

/** How series() folds the points of one bucket. */
export type MetricAggregate = 'avg' | 'min' | 'max' | 'sum' | 'last';

const AGGREGATES: Record<MetricAggregate, string> = {
  avg: 'avg(value)',
  min: 'min(value)',
  max: 'max(value)',
  sum: 'sum(value)',
  last: 'last(value, time)',
};

export interface SeriesQuery {
  /** A session's metric; null for global metrics (no session); left out: any. */
  sessionId?: string | null;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** With a PostgreSQL interval (e.g. '1 hour'), points are time_bucket-ed and folded by `aggregate`. */
  bucket?: string;
  /** Default 'avg'. */
  aggregate?: MetricAggregate;
}

/** Performance metrics: a TimescaleDB hypertable of (time, session, metric, value) points. */
export class MetricRepository {
  constructor(private readonly pool: pg.Pool) {}

  async record(input: NewMetric): Promise<Metric> {
    const rows = await query<Metric>(
      this.pool,
      ENTITY,
      `INSERT INTO performance_metrics (time, session_id, metric, value, metadata)
       VALUES (coalesce($1, now()), $2, $3, $4, $5)
       RETURNING ${SELECT}`,
      [input.time ?? null, input.sessionId ?? null, input.metric, input.value, input.metadata ?? {}],
    );
    return one(rows, ENTITY, input.metric);
  }

  /** One metric over time, oldest first: raw points, or one point per bucket. */
  async series(metric: string, request: SeriesQuery = {}): Promise<MetricPoint[]> {
    const time = request.bucket === undefined ? 'time' : 'time_bucket($6::interval, time)';
    const value = request.bucket === undefined ? 'value' : AGGREGATES[request.aggregate ?? 'avg'];
    const group = request.bucket === undefined ? '' : 'GROUP BY 1';
    return query<MetricPoint>(
      this.pool,
      ENTITY,
      `SELECT ${time} AS time, ${value} AS value
         FROM performance_metrics
        WHERE metric = $1
          AND (NOT $2::boolean OR session_id IS NOT DISTINCT FROM $3::uuid)
          AND ($4::timestamptz IS NULL OR time >= $4)
          AND ($5::timestamptz IS NULL OR time < $5)
        ${group}
        ORDER BY 1`,
      [
        metric,
        request.sessionId !== undefined,
        request.sessionId ?? null,
        request.from ?? null,
        request.to ?? null,
        ...(request.bucket === undefined ? [] : [request.bucket]),
      ],
    );
  }

  /** The latest point of every metric of a session (null: global metrics), by metric name. */
  async latest(sessionId: string | null): Promise<Metric[]> {
    return query<Metric>(
      this.pool,
      ENTITY,
      `SELECT DISTINCT ON (metric) ${SELECT}
         FROM performance_metrics
        WHERE session_id IS NOT DISTINCT FROM $1::uuid
        ORDER BY metric, time DESC`,
      [sessionId],
    );
  }
}
