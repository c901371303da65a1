import { belongsTo, decimal, defineFactory } from '../factories/index.js';
import { type OrderSide, orderFactory } from './orders.js';
import { minutesBefore, priceFor, quantityOf, SIDES, symbolOf, tokenOf, uuidOf } from './values.js';

/** A row of `trades` as `create` returns it. */
export interface Trade {
  id: string;
  orderId: string;
  sessionId: string;
  exchangeTradeId: string | null;
  symbol: string;
  exchange: string;
  side: OrderSide;
  price: string;
  quantity: string;
  quoteQuantity: string;
  commission: string;
  commissionAsset: string | null;
  executedAt: Date;
  isMaker: boolean;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export type TradeTrait = 'maker' | 'taker';

export interface TradeTransient {
  /** Commission rate on the quote quantity (default 0.001). */
  commissionRate?: string;
}

export const tradeFactory = defineFactory<
  Trade,
  { traits: TradeTrait; transient: TradeTransient; associations: 'order' }
>({
  name: 'trade',
  table: 'trades',
  transient: { commissionRate: '0.001' },
  defaults: ({ faker, refDate, sequence }) => {
    const symbol = symbolOf(faker);
    const executedAt = minutesBefore(refDate, faker.number.int({ min: 1, max: 7 * 24 * 60 }));
    return {
      id: uuidOf(faker),
      orderId: uuidOf(faker),
      sessionId: uuidOf(faker),
      exchangeTradeId: `trd-${sequence}-${tokenOf(faker)}`,
      symbol,
      exchange: 'BINANCE',
      side: faker.helpers.arrayElement(SIDES),
      price: priceFor(faker, symbol),
      quantity: quantityOf(faker, 1),
      quoteQuantity: decimal.toFixed(0),
      commission: decimal.toFixed(0),
      commissionAsset: 'USDT',
      executedAt,
      isMaker: false,
      metadata: {},
      createdAt: executedAt,
    };
  },
  associations: {
    order: belongsTo(() => orderFactory, {
      foreignKey: 'orderId',
      // a trade of an order: same session, symbol and side, at the order's price when it has one
      copy: (order) => ({
        sessionId: order.sessionId,
        symbol: order.symbol,
        exchange: order.exchange,
        side: order.side,
        ...(order.price == null ? {} : { price: order.price }),
      }),
    }),
  },
  traits: {
    maker: { attributes: { isMaker: true } },
    taker: { attributes: { isMaker: false } },
  },
  derive: ({ attrs, transient }) => {
    const quoteQuantity = decimal.mul(attrs.price ?? 0, attrs.quantity ?? 0);
    return { quoteQuantity, commission: decimal.mul(quoteQuantity, transient.commissionRate ?? '0.001') };
  },
  validate: (check) => {
    check.required('orderId').required('sessionId').oneOf('side', SIDES);
    check.positive('price').positive('quantity').positive('quoteQuantity').nonNegative('commission');
    check.date('executedAt');
  },
});
