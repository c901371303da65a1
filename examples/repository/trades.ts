import type pg from 'pg';
import { query } from './db.js';
import { NotFoundError } from './errors.js';
import { type Columns, pageWindow, selectList, toPage } from './mapping.js';
import type { NewTrade, Page, PageOptions, Trade } from './types.js';

const ENTITY = 'trade';

const COLUMNS: Columns<Trade> = {
  id: 'id',
  orderId: 'order_id',
  sessionId: 'session_id',
  exchangeTradeId: 'exchange_trade_id',
  symbol: 'symbol',
  exchange: 'exchange',
  side: 'side',
  price: 'price',
  quantity: 'quantity',
  quoteQuantity: 'quote_quantity',
  commission: 'commission',
  commissionAsset: 'commission_asset',
  executedAt: 'executed_at',
  isMaker: 'is_maker',
  metadata: 'metadata',
  createdAt: 'created_at',
};
const SELECT = selectList(COLUMNS);

/** Executions (fills) of orders. */
export class TradeRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Records a fill of an order. Session, symbol, exchange and side are taken from the order in the same
   * statement; the quote quantity defaults to price × quantity computed in numeric. NotFoundError without the order.
   */
  async insert(input: NewTrade): Promise<Trade> {
    const rows = await query<Trade>(
      this.pool,
      ENTITY,
      `INSERT INTO trades (order_id, session_id, exchange_trade_id, symbol, exchange, side, price, quantity,
                           quote_quantity, commission, commission_asset, executed_at, is_maker, metadata)
       SELECT o.id, o.session_id, $2, o.symbol, o.exchange, o.side, $3::numeric, $4::numeric,
              coalesce($5::numeric, $3::numeric * $4::numeric), $6, $7, coalesce($8, now()), $9, $10
         FROM orders o WHERE o.id = $1
       RETURNING ${SELECT}`,
      [
        input.orderId,
        input.exchangeTradeId ?? null,
        input.price,
        input.quantity,
        input.quoteQuantity ?? null,
        input.commission ?? '0',
        input.commissionAsset ?? null,
        input.executedAt ?? null,
        input.isMaker ?? false,
        input.metadata ?? {},
      ],
    );
    const [row] = rows;
    if (row === undefined) throw new NotFoundError('order', input.orderId);
    return row;
  }

  /** The fills of one order in execution order. */
  async byOrder(orderId: string): Promise<Trade[]> {
    return query<Trade>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM trades WHERE order_id = $1 ORDER BY executed_at, id`,
      [orderId],
    );
  }

  /** The fills of a session in execution order, one page at a time. */
  async bySession(sessionId: string, page?: PageOptions): Promise<Page<Trade>> {
    const { limit, offset } = pageWindow(ENTITY, page);
    const rows = await query<Trade>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM trades WHERE session_id = $1 ORDER BY executed_at, id LIMIT $2 OFFSET $3`,
      [sessionId, limit + 1, offset],
    );
    return toPage(rows, limit, offset);
  }
}
