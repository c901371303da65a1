import { belongsTo, decimal, defineFactory } from '../factories/index.js';
import { tradingSessionFactory } from './sessions.js';
import { minutesAfter, minutesBefore, moved, priceFor, quantityOf, symbolOf, uuidOf } from './values.js';

export type PositionSide = 'LONG' | 'SHORT' | 'FLAT';
export const POSITION_SIDES: readonly PositionSide[] = ['LONG', 'SHORT', 'FLAT'];

/** A row of `positions` as `create` returns it. */
export interface Position {
  id: string;
  sessionId: string;
  symbol: string;
  exchange: string;
  side: PositionSide;
  entryPrice: string;
  exitPrice: string | null;
  quantity: string;
  entryTime: Date;
  exitTime: Date | null;
  stopLoss: string | null;
  takeProfit: string | null;
  realizedPnl: string | null;
  unrealizedPnl: string | null;
  fees: string;
  entryReason: string | null;
  exitReason: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type PositionTrait = 'long' | 'short' | 'closed' | 'withStops';

export interface PositionTransient {
  /** Fee rate charged on entry and exit notional (default 0.001 = 0.1 %). */
  feeRate?: string;
  /** Set by `withStops`: stop loss 5 % against, take profit 10 % in favour of the position. */
  stops?: boolean;
}

/**
 * Realized PnL of a closed position: (exit - entry) x quantity for LONG, (entry - exit) x
 * quantity for SHORT, 0 for FLAT, minus fees. Exact decimal arithmetic at scale 8.
 */
export function realizedPnl(side: PositionSide, entry: string, exit: string, quantity: string, fees: string): string {
  const move = side === 'LONG' ? decimal.sub(exit, entry) : side === 'SHORT' ? decimal.sub(entry, exit) : '0';
  return decimal.sub(decimal.mul(move, quantity), fees);
}

export const positionFactory = defineFactory<
  Position,
  { traits: PositionTrait; transient: PositionTransient; associations: 'session' }
>({
  name: 'position',
  table: 'positions',
  transient: { feeRate: '0.001', stops: false },
  defaults: ({ faker, refDate }) => {
    const symbol = symbolOf(faker);
    const entryTime = minutesBefore(refDate, faker.number.int({ min: 60, max: 7 * 24 * 60 }));
    return {
      id: uuidOf(faker),
      sessionId: uuidOf(faker),
      symbol,
      exchange: 'BINANCE',
      side: 'LONG',
      entryPrice: priceFor(faker, symbol),
      exitPrice: null,
      quantity: quantityOf(faker),
      entryTime,
      exitTime: null,
      stopLoss: null,
      takeProfit: null,
      realizedPnl: null,
      unrealizedPnl: null,
      fees: decimal.toFixed(0),
      entryReason: faker.helpers.arrayElement(['breakout', 'signal', 'rebalance']),
      exitReason: null,
      metadata: {},
      createdAt: entryTime,
      updatedAt: entryTime,
    };
  },
  associations: {
    session: belongsTo(() => tradingSessionFactory, {
      foreignKey: 'sessionId',
      copy: (session) => ({ symbol: session.symbol, exchange: session.exchange }),
    }),
  },
  traits: {
    long: { attributes: { side: 'LONG' } },
    short: { attributes: { side: 'SHORT' } },
    closed: ({ faker, attrs }) => ({
      exitPrice: moved(attrs.entryPrice, faker.number.float({ min: -0.08, max: 0.08 })),
      exitTime: minutesAfter(attrs.entryTime, faker.number.int({ min: 1, max: 48 * 60 })),
      exitReason: faker.helpers.arrayElement(['take profit', 'stop loss', 'signal', 'session end']),
    }),
    withStops: { transient: { stops: true } },
  },
  derive: ({ attrs, transient }) => {
    const derived: Partial<Position> = {};
    if (transient.stops && attrs.entryPrice != null) {
      const sign = attrs.side === 'SHORT' ? -1 : 1;
      derived.stopLoss = moved(attrs.entryPrice, -0.05 * sign);
      derived.takeProfit = moved(attrs.entryPrice, 0.1 * sign);
    }
    if (attrs.exitPrice != null && attrs.entryPrice != null && attrs.quantity != null) {
      const notional = decimal.mul(decimal.add(attrs.entryPrice, attrs.exitPrice), attrs.quantity);
      const fees = decimal.mul(notional, transient.feeRate ?? '0.001');
      derived.fees = fees;
      derived.realizedPnl = realizedPnl(attrs.side ?? 'LONG', attrs.entryPrice, attrs.exitPrice, attrs.quantity, fees);
      derived.updatedAt = attrs.exitTime ?? attrs.updatedAt;
    }
    return derived;
  },
  validate: (check, row) => {
    check.required('sessionId').oneOf('side', POSITION_SIDES);
    check.positive('entryPrice').positive('quantity').nonNegative('fees');
    check.positive('exitPrice', { nullable: true }).positive('stopLoss', { nullable: true });
    check.positive('takeProfit', { nullable: true }).date('entryTime');
    check.rule(
      'exitTime',
      (row.exitTime == null) === (row.exitPrice == null),
      'and exitPrice must both be set or both null',
    );
    if (row.exitTime instanceof Date && row.entryTime instanceof Date) {
      check.rule('exitTime', row.exitTime >= row.entryTime, 'must be >= entryTime');
    }
  },
});
