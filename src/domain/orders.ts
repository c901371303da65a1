import { belongsTo, decimal, defineFactory } from '../factories/index.js';
import { positionFactory } from './positions.js';
import { tradingSessionFactory } from './sessions.js';
import {
  minutesAfter,
  minutesBefore,
  moved,
  priceFor,
  quantityOf,
  SIDES,
  symbolOf,
  tokenOf,
  uuidOf,
} from './values.js';

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

export const ORDER_TYPES: readonly OrderType[] = [
  'MARKET',
  'LIMIT',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
];
const PRICED: readonly OrderType[] = ['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'];
const STOPPED: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];

/** A row of `orders` as `create` returns it. */
export interface Order {
  id: string;
  sessionId: string;
  positionId: string | null;
  exchangeOrderId: string | null;
  symbol: string;
  exchange: string;
  side: OrderSide;
  type: OrderType;
  status: OrderStatus;
  price: string | null;
  stopPrice: string | null;
  quantity: string;
  executedQuantity: string;
  executedQuoteQuantity: string;
  timeInForce: TimeInForce | null;
  placedAt: Date;
  filledAt: Date | null;
  canceledAt: Date | null;
  errorMessage: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderTrait = 'market' | 'limit' | 'stopLoss' | 'filled' | 'partiallyFilled' | 'canceled' | 'rejected';

export interface OrderTransient {
  /** Execution price of market orders (default: near the symbol's level). */
  fillPrice?: string;
}

export type OrderSpec = {
  traits: OrderTrait;
  transient: OrderTransient;
  associations: 'session' | 'position';
};

export const orderFactory = defineFactory<Order, OrderSpec>({
  name: 'order',
  table: 'orders',
  defaults: ({ faker, refDate, sequence }) => {
    const placedAt = minutesBefore(refDate, faker.number.int({ min: 1, max: 7 * 24 * 60 }));
    return {
      id: uuidOf(faker),
      sessionId: uuidOf(faker),
      positionId: null,
      exchangeOrderId: `ord-${sequence}-${tokenOf(faker)}`,
      symbol: symbolOf(faker),
      exchange: 'BINANCE',
      side: faker.helpers.arrayElement(SIDES),
      type: 'MARKET',
      status: 'NEW',
      price: null,
      stopPrice: null,
      quantity: quantityOf(faker),
      executedQuantity: decimal.toFixed(0),
      executedQuoteQuantity: decimal.toFixed(0),
      timeInForce: null,
      placedAt,
      filledAt: null,
      canceledAt: null,
      errorMessage: null,
      metadata: {},
      createdAt: placedAt,
      updatedAt: placedAt,
    };
  },
  associations: {
    session: belongsTo(() => tradingSessionFactory, {
      foreignKey: 'sessionId',
      copy: (session) => ({ symbol: session.symbol, exchange: session.exchange }),
    }),
    position: belongsTo(() => positionFactory, { foreignKey: 'positionId', optional: true }),
  },
  traits: {
    market: { attributes: { type: 'MARKET', price: null, stopPrice: null } },
    limit: ({ faker, attrs }) => ({ type: 'LIMIT', price: priceFor(faker, attrs.symbol), timeInForce: 'GTC' }),
    stopLoss: ({ faker, attrs }) => ({
      type: 'STOP_LOSS',
      stopPrice: moved(priceFor(faker, attrs.symbol), attrs.side === 'SELL' ? -0.05 : 0.05),
    }),
    filled: ({ faker, attrs }) => ({
      status: 'FILLED',
      executedQuantity: attrs.quantity,
      filledAt: minutesAfter(attrs.placedAt, faker.number.int({ min: 0, max: 30 })),
    }),
    partiallyFilled: ({ faker, attrs }) => ({
      status: 'PARTIALLY_FILLED',
      // a tenth to nine tenths of the quantity: 4 decimals x 1 decimal stays exact at scale 8
      executedQuantity: decimal.mul(attrs.quantity ?? '1', `${faker.number.int({ min: 1, max: 9 })}e-1`),
    }),
    canceled: ({ faker, attrs }) => ({
      status: 'CANCELED',
      canceledAt: minutesAfter(attrs.placedAt, faker.number.int({ min: 1, max: 120 })),
    }),
    rejected: ({ faker }) => ({
      status: 'REJECTED',
      errorMessage: faker.helpers.arrayElement([
        'Account has insufficient balance for requested action.',
        'Filter failure: LOT_SIZE',
        'Filter failure: MIN_NOTIONAL',
      ]),
    }),
  },
  derive: ({ faker, attrs, transient }) => {
    if (decimal.compare(attrs.executedQuantity ?? 0, 0) <= 0) return { executedQuoteQuantity: decimal.toFixed(0) };
    const price = attrs.price ?? transient.fillPrice ?? priceFor(faker, attrs.symbol);
    return { executedQuoteQuantity: decimal.mul(price, attrs.executedQuantity ?? 0) };
  },
  validate: (check, row) => {
    check.required('sessionId').required('symbol');
    check.oneOf('side', SIDES).oneOf('type', ORDER_TYPES).oneOf('status', ORDER_STATUSES);
    check.positive('quantity').positive('price', { nullable: true }).positive('stopPrice', { nullable: true });
    check.rule('price', !PRICED.includes(row.type) || row.price != null, `is required for ${row.type} orders`);
    check.rule('stopPrice', !STOPPED.includes(row.type) || row.stopPrice != null, `is required for ${row.type} orders`);
    check.nonNegative('executedQuantity').notAbove('executedQuantity', 'quantity').nonNegative('executedQuoteQuantity');
    check.oneOf('timeInForce', ['GTC', 'IOC', 'FOK'], { nullable: true }).date('placedAt');
    if (row.status === 'FILLED') check.date('filledAt');
  },
});
