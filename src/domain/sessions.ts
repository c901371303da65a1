import { decimal, defineFactory } from '../factories/index.js';
import { HOUR, minutesAfter, symbolOf, uuidOf } from './values.js';

export type SessionMode = 'PAPER' | 'LIVE';
export const SESSION_MODES: readonly SessionMode[] = ['PAPER', 'LIVE'];

/** A row of `trading_sessions` as `create` returns it. */
export interface TradingSession {
  id: string;
  mode: SessionMode;
  symbol: string;
  exchange: string;
  startedAt: Date;
  stoppedAt: Date | null;
  initialCapital: string;
  finalCapital: string | null;
  totalTrades: number;
  winningTrades: number;
  losingTrades: number;
  totalPnl: string;
  maxDrawdown: string;
  sharpeRatio: string | null;
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type TradingSessionTrait = 'paper' | 'live' | 'stopped';

export const tradingSessionFactory = defineFactory<TradingSession, { traits: TradingSessionTrait }>({
  name: 'tradingSession',
  table: 'trading_sessions',
  defaults: ({ faker, refDate }) => {
    const startedAt = new Date(refDate.getTime() - faker.number.int({ min: 1, max: 30 * 24 }) * HOUR);
    return {
      id: uuidOf(faker),
      mode: 'PAPER',
      symbol: symbolOf(faker),
      exchange: 'BINANCE',
      startedAt,
      stoppedAt: null,
      initialCapital: decimal.toFixed(faker.number.int({ min: 1, max: 100 }) * 1_000),
      finalCapital: null,
      totalTrades: 0,
      winningTrades: 0,
      losingTrades: 0,
      totalPnl: decimal.toFixed(0),
      maxDrawdown: decimal.toFixed(0),
      sharpeRatio: null,
      config: { strategy: faker.helpers.arrayElement(['momentum', 'mean-reversion', 'breakout']), leverage: 1 },
      metadata: {},
      createdAt: startedAt,
      updatedAt: startedAt,
    };
  },
  traits: {
    paper: { attributes: { mode: 'PAPER' } },
    live: { attributes: { mode: 'LIVE' } },
    stopped: ({ faker, attrs }) => {
      const totalTrades = faker.number.int({ min: 4, max: 60 });
      const winningTrades = faker.number.int({ min: 0, max: totalTrades });
      const initial = attrs.initialCapital ?? '10000';
      const totalPnl = decimal.mul(initial, `${faker.number.int({ min: -2_000, max: 3_000 })}e-5`);
      const stoppedAt = minutesAfter(attrs.startedAt, faker.number.int({ min: 30, max: 48 * 60 }));
      return {
        stoppedAt,
        updatedAt: stoppedAt,
        totalTrades,
        winningTrades,
        losingTrades: totalTrades - winningTrades,
        totalPnl,
        finalCapital: decimal.add(initial, totalPnl),
        maxDrawdown: decimal.mul(initial, `${faker.number.int({ min: 0, max: 1_500 })}e-5`),
        sharpeRatio: decimal.toFixed(`${faker.number.int({ min: -1_000_000, max: 3_000_000 })}e-6`, 6),
      };
    },
  },
  validate: (check, row) => {
    check.oneOf('mode', SESSION_MODES).positive('initialCapital').date('startedAt');
    check.nonNegative('totalTrades').nonNegative('winningTrades').nonNegative('losingTrades');
    check.rule(
      'winningTrades',
      row.winningTrades + row.losingTrades <= row.totalTrades,
      'plus losingTrades must be <= totalTrades',
    );
    check.date('stoppedAt', { nullable: true });
    if (row.stoppedAt instanceof Date && row.startedAt instanceof Date) {
      check.rule('stoppedAt', row.stoppedAt >= row.startedAt, 'must be >= startedAt');
    }
  },
});
