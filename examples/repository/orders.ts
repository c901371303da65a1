import type pg from 'pg';
import { one, query, transaction } from './db.js';
import { InvalidTransitionError, NotFoundError, ValidationError } from './errors.js';
import { type Columns, pageWindow, selectList, toPage } from './mapping.js';
import type { NewOrder, Order, OrderStatus, OrderStatusChange, Page, PageOptions } from './types.js';

const ENTITY = 'order';

const COLUMNS: Columns<Order> = {
  id: 'id',
  sessionId: 'session_id',
  positionId: 'position_id',
  exchangeOrderId: 'exchange_order_id',
  symbol: 'symbol',
  exchange: 'exchange',
  side: 'side',
  type: 'type',
  status: 'status',
  price: 'price',
  stopPrice: 'stop_price',
  quantity: 'quantity',
  executedQuantity: 'executed_quantity',
  executedQuoteQuantity: 'executed_quote_quantity',
  timeInForce: 'time_in_force',
  placedAt: 'placed_at',
  filledAt: 'filled_at',
  canceledAt: 'canceled_at',
  errorMessage: 'error_message',
  metadata: 'metadata',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const SELECT = selectList(COLUMNS);

/** The order life cycle: where each status may go next. FILLED, CANCELED, REJECTED and EXPIRED are final. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  NEW: ['PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'],
  PARTIALLY_FILLED: ['PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED'],
  FILLED: [],
  CANCELED: [],
  REJECTED: [],
  EXPIRED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

interface LockedOrder {
  status: OrderStatus;
  nonPositive: boolean | null;
  exceeds: boolean | null;
  complete: boolean | null;
  regresses: boolean | null;
}

/** Orders of a session: placement and the status life cycle with executed quantities. */
export class OrderRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Places an order (status NEW). A missing session is a ConstraintViolationError (foreign key). */
  async insert(input: NewOrder): Promise<Order> {
    const rows = await query<Order>(
      this.pool,
      ENTITY,
      `INSERT INTO orders (session_id, position_id, exchange_order_id, symbol, exchange, side, type,
                           price, stop_price, quantity, time_in_force, placed_at, metadata)
       VALUES ($1, $2, $3, $4, coalesce($5, 'BINANCE'), $6, $7, $8, $9, $10, $11, coalesce($12, now()), $13)
       RETURNING ${SELECT}`,
      [
        input.sessionId,
        input.positionId ?? null,
        input.exchangeOrderId ?? null,
        input.symbol,
        input.exchange ?? null,
        input.side,
        input.type,
        input.price ?? null,
        input.stopPrice ?? null,
        input.quantity,
        input.timeInForce ?? null,
        input.placedAt ?? null,
        input.metadata ?? {},
      ],
    );
    return one(rows, ENTITY, 'new');
  }

  async get(id: string): Promise<Order> {
    return one(await query<Order>(this.pool, ENTITY, `SELECT ${SELECT} FROM orders WHERE id = $1`, [id]), ENTITY, id);
  }

  /**
   * Moves the order along its life cycle (see ORDER_TRANSITIONS) in one transaction with the row locked.
   * Throws NotFoundError, InvalidTransitionError (e.g. FILLED -> CANCELED) or ValidationError (bad quantities).
   */
  async updateStatus(id: string, change: OrderStatusChange): Promise<Order> {
    const executed = change.status === 'PARTIALLY_FILLED' ? change.executedQuantity : null;
    return transaction(this.pool, async (client) => {
      const [current] = await query<LockedOrder>(
        client,
        ENTITY,
        `SELECT status,
                $2::numeric <= 0 AS "nonPositive",
                $2::numeric > quantity AS exceeds,
                $2::numeric = quantity AS complete,
                $2::numeric < executed_quantity AS regresses
           FROM orders WHERE id = $1 FOR UPDATE`,
        [id, executed],
      );
      if (current === undefined) throw new NotFoundError(ENTITY, id);
      if (!canTransition(current.status, change.status)) {
        throw new InvalidTransitionError(ENTITY, id, current.status, change.status);
      }
      if (current.nonPositive || current.exceeds || current.complete) {
        throw new ValidationError(ENTITY, 'executedQuantity', `${executed} must be above 0 and below the quantity`);
      }
      if (current.regresses) {
        throw new ValidationError(ENTITY, 'executedQuantity', `${executed} is below the quantity executed so far`);
      }
      const rows = await query<Order>(
        client,
        ENTITY,
        `UPDATE orders
            SET status = $2,
                executed_quantity = CASE WHEN $2 = 'FILLED' THEN quantity ELSE coalesce($3, executed_quantity) END,
                executed_quote_quantity = coalesce($4, executed_quote_quantity),
                filled_at = CASE WHEN $2 = 'FILLED' THEN coalesce($5, now()) ELSE filled_at END,
                canceled_at = CASE WHEN $2 = 'CANCELED' THEN coalesce($6, now()) ELSE canceled_at END,
                error_message = coalesce($7, error_message),
                updated_at = now()
          WHERE id = $1
          RETURNING ${SELECT}`,
        [
          id,
          change.status,
          executed,
          'executedQuoteQuantity' in change ? (change.executedQuoteQuantity ?? null) : null,
          change.status === 'FILLED' ? (change.filledAt ?? null) : null,
          change.status === 'CANCELED' ? (change.canceledAt ?? null) : null,
          change.status === 'REJECTED' ? change.errorMessage : null,
        ],
      );
      return one(rows, ENTITY, id);
    });
  }

  /** A session's orders in placement order, one page at a time. */
  async bySession(sessionId: string, page?: PageOptions): Promise<Page<Order>> {
    const { limit, offset } = pageWindow(ENTITY, page);
    const rows = await query<Order>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM orders WHERE session_id = $1 ORDER BY placed_at, id LIMIT $2 OFFSET $3`,
      [sessionId, limit + 1, offset],
    );
    return toPage(rows, limit, offset);
  }

  /** Orders on a symbol, newest first, optionally within one session. */
  async bySymbol(symbol: string, options: { sessionId?: string; limit?: number } = {}): Promise<Order[]> {
    const { limit } = pageWindow(ENTITY, { limit: options.limit ?? 100 });
    return query<Order>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM orders
        WHERE symbol = $1 AND ($2::uuid IS NULL OR session_id = $2)
        ORDER BY placed_at DESC, id LIMIT $3`,
      [symbol, options.sessionId ?? null, limit],
    );
  }

  /** Orders in any of the given statuses, oldest first, optionally within one session. */
  async byStatus(status: OrderStatus | readonly OrderStatus[], options: { sessionId?: string } = {}): Promise<Order[]> {
    const statuses = typeof status === 'string' ? [status] : [...status];
    return query<Order>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM orders
        WHERE status = ANY($1::text[]) AND ($2::uuid IS NULL OR session_id = $2)
        ORDER BY placed_at, id`,
      [statuses, options.sessionId ?? null],
    );
  }

  /** Orders still working (NEW or PARTIALLY_FILLED) in a session. */
  async open(sessionId: string): Promise<Order[]> {
    return this.byStatus(['NEW', 'PARTIALLY_FILLED'], { sessionId });
  }
}
