import type pg from 'pg';
import { execute, query } from './db.js';
import { ValidationError } from './errors.js';
import { type Columns, selectList } from './mapping.js';
import type { Candle, CandleInterval, NewCandle, OhlcvBucket } from './types.js';

const ENTITY = 'candlestick';

const COLUMNS: Columns<Candle> = {
  time: 'time',
  symbol: 'symbol',
  exchange: 'exchange',
  interval: 'interval',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
  tradesCount: 'trades_count',
};
const SELECT = selectList(COLUMNS);

/** What insertMany does with a candle that already exists (same symbol, exchange, interval, time). */
export type OnConflict = 'error' | 'ignore' | 'update';

const CONFLICT: Record<OnConflict, string> = {
  error: '',
  ignore: 'ON CONFLICT (symbol, exchange, interval, time) DO NOTHING',
  update: `ON CONFLICT (symbol, exchange, interval, time) DO UPDATE
              SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                  volume = excluded.volume, trades_count = excluded.trades_count`,
};

export interface OhlcvQuery {
  /** A PostgreSQL interval for time_bucket, e.g. '5 minutes', '1 hour', '1 day'. */
  bucket: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Source candles to aggregate, default '1m'. */
  interval?: CandleInterval;
  exchange?: string;
}

/** Candlesticks: a TimescaleDB hypertable on `time`. */
export class CandleRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Inserts all candles in one statement: one array parameter per column through unnest, so the
   * 65,535-parameter limit of the wire protocol never applies. Returns the number of rows written.
   */
  async insertMany(candles: readonly NewCandle[], options: { onConflict?: OnConflict } = {}): Promise<number> {
    if (candles.length === 0) return 0;
    const onConflict = options.onConflict ?? 'error';
    return execute(
      this.pool,
      ENTITY,
      `INSERT INTO candlesticks (time, symbol, exchange, interval, open, high, low, close, volume, trades_count)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[],
                            $7::numeric[], $8::numeric[], $9::numeric[], $10::int[])
       ${CONFLICT[onConflict]}`,
      [
        candles.map((c) => c.time),
        candles.map((c) => c.symbol),
        candles.map((c) => c.exchange ?? 'BINANCE'),
        candles.map((c) => c.interval),
        candles.map((c) => c.open),
        candles.map((c) => c.high),
        candles.map((c) => c.low),
        candles.map((c) => c.close),
        candles.map((c) => c.volume),
        candles.map((c) => c.tradesCount ?? 0),
      ],
    );
  }

  /** Candles of one symbol and interval with from <= time < to, oldest first. */
  async range(symbol: string, interval: CandleInterval, from: Date, to: Date, exchange = 'BINANCE'): Promise<Candle[]> {
    return query<Candle>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM candlesticks
        WHERE symbol = $1 AND interval = $2 AND exchange = $3 AND time >= $4 AND time < $5
        ORDER BY time`,
      [symbol, interval, exchange, from, to],
    );
  }

  /**
   * Aggregates source candles into `bucket`-wide bars with time_bucket: open = first(open, time),
   * high = max, low = min, close = last(close, time), volume and trades summed. Oldest bucket first.
   */
  async ohlcv(symbol: string, request: OhlcvQuery): Promise<OhlcvBucket[]> {
    if (request.bucket.trim() === '') throw new ValidationError(ENTITY, 'bucket', 'must be an interval');
    return query<OhlcvBucket>(
      this.pool,
      ENTITY,
      `SELECT time_bucket($1::interval, time) AS bucket,
              first(open, time) AS open, max(high) AS high, min(low) AS low, last(close, time) AS close,
              sum(volume) AS volume, sum(trades_count)::int AS "tradesCount", count(*)::int AS candles
         FROM candlesticks
        WHERE symbol = $2 AND interval = $3 AND exchange = $4 AND time >= $5 AND time < $6
        GROUP BY bucket
        ORDER BY bucket`,
      [request.bucket, symbol, request.interval ?? '1m', request.exchange ?? 'BINANCE', request.from, request.to],
    );
  }
}
