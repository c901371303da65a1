import type { Faker } from '@faker-js/faker';
import { decimal, defineFactory, type Factory, FactoryValidationError } from '../factories/index.js';
import { checkSeries } from './series.js';
import { BASE_PRICES, symbolOf } from './values.js';

export type CandleInterval = '1m' | '3m' | '5m' | '15m' | '30m' | '1h' | '2h' | '4h' | '6h' | '12h' | '1d' | '1w';

const MINUTE = 60_000;
/** Length of each interval in milliseconds. */
export const INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': 1_440 * MINUTE,
  '1w': 10_080 * MINUTE,
};
export const CANDLE_INTERVALS = Object.keys(INTERVAL_MS) as CandleInterval[];

/** A row of `candlesticks` as `create` returns it. */
export interface Candlestick {
  time: Date;
  symbol: string;
  exchange: string;
  interval: CandleInterval;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  tradesCount: number;
}

export type CandlestickTrait = 'bullish' | 'bearish';
export type CandlestickSpec = { traits: CandlestickTrait };

interface Ohlc {
  open: string;
  high: string;
  low: string;
  close: string;
}

const SCALE = 1e8;

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A non-negative count of 1e-8 units printed as a numeric(24, 8) literal (fast path for series). */
function scaled(units: number): string {
  const text = String(units).padStart(9, '0');
  return `${text.slice(0, -8)}.${text.slice(-8)}`;
}

/**
 * OHLC at scale 8 from an open and a close, with an upper and a lower wick (all numbers):
 * computed on integer units of 1e-8 so high >= max(open, close) and low <= min(open, close)
 * hold exactly, and low stays > 0.
 */
function ohlc(open: number, close: number, upper: number, lower: number): Ohlc {
  const o = Math.max(1, Math.round(open * SCALE));
  const c = Math.max(1, Math.round(close * SCALE));
  const top = Math.max(o, c);
  const bottom = Math.min(o, c);
  const wickDown = Math.round(Math.abs(lower) * SCALE);
  const low = wickDown < bottom ? bottom - wickDown : Math.ceil(bottom / 2);
  return {
    open: scaled(o),
    close: scaled(c),
    high: scaled(top + Math.round(Math.abs(upper) * SCALE)),
    low: scaled(low),
  };
}

export const candlestickFactory = defineFactory<Candlestick, CandlestickSpec>({
  name: 'candlestick',
  table: 'candlesticks',
  defaults: ({ faker, refDate, sequence }) => {
    const symbol = symbolOf(faker);
    const base = BASE_PRICES[symbol] ?? 100;
    const open = base * (1 + faker.number.float({ min: -0.01, max: 0.01 }));
    const close = open * (1 + faker.number.float({ min: -0.005, max: 0.005 }));
    return {
      // one minute apart per sequence, going back from the reference date (series go forward from it),
      // so default candles never collide on (symbol, exchange, interval, time)
      time: new Date(refDate.getTime() - sequence * MINUTE),
      symbol,
      exchange: 'BINANCE',
      interval: '1m',
      ...ohlc(open, close, open * faker.number.float({ max: 0.003 }), open * faker.number.float({ max: 0.003 })),
      volume: decimal.toFixed(faker.number.float({ min: 0.01, max: 500, fractionDigits: 6 }).toFixed(6)),
      tradesCount: faker.number.int({ min: 1, max: 5_000 }),
    };
  },
  traits: {
    bullish: ({ attrs }) => (decimal.compare(attrs.close ?? 0, attrs.open ?? 0) > 0 ? {} : swap(attrs)),
    bearish: ({ attrs }) => (decimal.compare(attrs.close ?? 0, attrs.open ?? 0) < 0 ? {} : swap(attrs)),
  },
  validate: (check) => {
    check.oneOf('interval', CANDLE_INTERVALS).required('symbol').date('time');
    check.positive('open').positive('close').positive('low').nonNegative('volume').nonNegative('tradesCount');
    check.notBelow('high', 'open').notBelow('high', 'close').notBelow('high', 'low');
    check.notAbove('low', 'open').notAbove('low', 'close');
  },
});

function swap(attrs: Partial<Candlestick>): Partial<Candlestick> {
  if (decimal.compare(attrs.open ?? 0, attrs.close ?? 0) === 0) {
    return { close: decimal.add(attrs.open ?? 0, '0.01'), high: decimal.add(attrs.high ?? 0, '0.01') };
  }
  return { open: attrs.close ?? '0', close: attrs.open ?? '0' };
}

export interface CandleSeriesOptions {
  symbol?: string;
  exchange?: string;
  interval?: CandleInterval;
  /** Time of the first candle (aligned on the interval); default the factories' reference date. */
  from?: Date;
  count: number;
  /** Open of the first candle; default the symbol's price level. */
  startPrice?: number;
  /** Standard deviation of each candle's relative move (default 0.002 = 0.2 %). */
  volatility?: number;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /** From this many rows on the series is written with COPY (default: the factory set's, 500; Infinity: never). */
  copyThreshold?: number;
}

/**
 * `count` contiguous candles in batches of `size`: a random walk where each open is the
 * previous close, high >= max(open, close), low <= min(open, close) and volume > 0, drawn
 * from the factories' seed. The options are checked at once; the batches are lazy, so a batch
 * is generated while the previous one is inserted.
 */
export function candleSeriesBatches(
  options: CandleSeriesOptions,
  faker: Faker,
  refDate: Date,
  size: number,
): Generator<Candlestick[]> {
  checkSeries('candlestick', options, { startPrice: options.startPrice });
  const interval = options.interval ?? '1m';
  const step = INTERVAL_MS[interval];
  if (!step) {
    throw new FactoryValidationError('candlestick', 'interval', interval, `must be one of ${CANDLE_INTERVALS}`);
  }
  const start = (options.from ?? refDate).getTime();
  if (start % step !== 0) {
    throw new FactoryValidationError('candlestick', 'from', options.from, `must be aligned on ${interval}`);
  }
  const symbol = options.symbol ?? 'BTCUSDT';
  const price = options.startPrice ?? BASE_PRICES[symbol] ?? 100;
  if (!(price > 0)) throw new FactoryValidationError('candlestick', 'startPrice', price, 'must be > 0');
  return walk(options, faker, { start, step, symbol, price }, size);
}

function* walk(
  options: CandleSeriesOptions,
  faker: Faker,
  first: { start: number; step: number; symbol: string; price: number },
  size: number,
): Generator<Candlestick[]> {
  const { start, step, symbol } = first;
  const interval = options.interval ?? '1m';
  const exchange = options.exchange ?? 'BINANCE';
  const volatility = options.volatility ?? 0.002;
  let { price } = first;
  // one draw from the seeded faker seeds a small fast generator for the whole walk
  const random = mulberry32(faker.number.int({ max: 2 ** 32 - 1 }));
  for (let begin = 0; begin < options.count; begin += size) {
    const rows = new Array<Candlestick>(Math.min(size, options.count - begin));
    for (let offset = 0; offset < rows.length; offset++) {
      const open = price;
      const close = Math.max(open * (1 + volatility * 3.4 * (random() - 0.5)), 1e-6);
      const bars = ohlc(open, close, open * volatility * random(), open * volatility * random());
      rows[offset] = {
        time: new Date(start + (begin + offset) * step),
        symbol,
        exchange,
        interval,
        open: bars.open,
        high: bars.high,
        low: bars.low,
        close: bars.close,
        volume: scaled(SCALE + Math.round(random() * 100 * SCALE)),
        tradesCount: 1 + Math.floor(random() * 2_000),
      };
      price = Number(bars.close);
    }
    yield rows;
  }
}

export type CandlestickFactory = Factory<Candlestick, CandlestickSpec, true> & {
  /** Inserts a candle series and returns it (`returning: false`: the row count only). */
  series(options: CandleSeriesOptions): Promise<Candlestick[]>;
  series(options: CandleSeriesOptions & { returning: false }): Promise<number>;
};
