import { decimal, type Factory, FactoryValidationError, type ListOverrides } from '../factories/index.js';
import type { Order, OrderSpec, OrderTrait } from './orders.js';
import type { TradingSession, TradingSessionTrait } from './sessions.js';
import type { Trade, TradeTrait } from './trades.js';

export interface GraphOptions {
  sessions?: number;
  ordersPerSession?: number;
  tradesPerOrder?: number;
  sessionTraits?: TradingSessionTrait[];
  /** Attributes of the sessions, or a function of the session's index (e.g. its symbol). */
  sessionOverrides?: ListOverrides<TradingSession, { traits: TradingSessionTrait }>;
  /** Default ['filled']: trades split each order's executed quantity exactly. */
  orderTraits?: OrderTrait[];
  tradeTraits?: TradeTrait[];
}

export interface TradingGraph {
  sessions: TradingSession[];
  orders: Order[];
  trades: Trade[];
}

interface GraphFactories {
  tradingSession: Factory<TradingSession, { traits: TradingSessionTrait }, true>;
  order: Factory<Order, OrderSpec, true>;
  trade: Factory<Trade, { traits: TradeTrait; transient: { commissionRate?: string }; associations: 'order' }, true>;
}

/**
 * Sessions with orders with trades, inserted level by level: one statement per level (per
 * batch), whatever the counts. Trades of an executed order split its executed quantity exactly.
 */
export async function createGraph(factories: GraphFactories, options: GraphOptions = {}): Promise<TradingGraph> {
  const count = options.sessions ?? 1;
  const perSession = options.ordersPerSession ?? 3;
  const perOrder = options.tradesPerOrder ?? 2;
  for (const [field, value] of Object.entries({
    sessions: count,
    ordersPerSession: perSession,
    tradesPerOrder: perOrder,
  })) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new FactoryValidationError('graph', field, value, 'must be a whole number >= 0');
    }
  }
  const sessions = await factories.tradingSession.createList(count, options.sessionOverrides, {
    traits: options.sessionTraits ?? [],
  });
  const orders = await factories.order.createList(
    sessions.length * perSession,
    (index) => ({ session: sessions[Math.floor(index / perSession)] }),
    { traits: options.orderTraits ?? ['filled'] },
  );
  const shares = orders.map((order) =>
    perOrder > 0 && decimal.compare(order.executedQuantity, 0) > 0
      ? decimal.split(order.executedQuantity, perOrder)
      : [],
  );
  const trades = await factories.trade.createList(
    orders.length * perOrder,
    (index) => {
      const order = orders[Math.floor(index / perOrder)];
      const quantity = shares[Math.floor(index / perOrder)]?.[index % perOrder];
      return quantity && decimal.compare(quantity, 0) > 0 ? { order, quantity } : { order };
    },
    { traits: options.tradeTraits ?? [] },
  );
  return { sessions, orders, trades };
}
