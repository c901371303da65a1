import type pg from 'pg';
import { one, query, transaction } from './db.js';
import { InvalidTransitionError, NotFoundError, ValidationError } from './errors.js';
import { type Columns, selectList } from './mapping.js';
import type { Decimal, NewPosition, PartialCloseResult, Position, PositionPatch } from './types.js';

const ENTITY = 'position';

const COLUMNS: Columns<Position> = {
  id: 'id',
  sessionId: 'session_id',
  symbol: 'symbol',
  exchange: 'exchange',
  side: 'side',
  entryPrice: 'entry_price',
  exitPrice: 'exit_price',
  quantity: 'quantity',
  entryTime: 'entry_time',
  exitTime: 'exit_time',
  stopLoss: 'stop_loss',
  takeProfit: 'take_profit',
  realizedPnl: 'realized_pnl',
  unrealizedPnl: 'unrealized_pnl',
  fees: 'fees',
  entryReason: 'entry_reason',
  exitReason: 'exit_reason',
  metadata: 'metadata',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const SELECT = selectList(COLUMNS);

/**
 * Gross PnL of `quantity` units closed at `price`, in SQL numeric: LONG (price - entry) × qty,
 * SHORT (entry - price) × qty, FLAT 0. Arguments are SQL expressions.
 */
function gross(price: string, quantity: string): string {
  return `(CASE side WHEN 'LONG' THEN (${price} - entry_price) * ${quantity}
                     WHEN 'SHORT' THEN (entry_price - ${price}) * ${quantity} ELSE 0 END)`;
}

/** Refuses negative money before it reaches SQL (the text is checked, no float parsing). */
function nonNegative(field: string, value: Decimal): Decimal {
  if (value.trim().startsWith('-')) throw new ValidationError(ENTITY, field, `must not be negative, got ${value}`);
  return value;
}

export interface PositionTotals {
  open: number;
  closed: number;
  /** Sum of realized PnL (net of the fees booked at closes). */
  realizedPnl: Decimal;
  /** Sum of the last marked unrealized PnL of open positions. */
  unrealizedPnl: Decimal;
  fees: Decimal;
}

/** Positions: opening, marking to market, partial and full closes with realized PnL. */
export class PositionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(input: NewPosition): Promise<Position> {
    const rows = await query<Position>(
      this.pool,
      ENTITY,
      `INSERT INTO positions (session_id, symbol, exchange, side, entry_price, quantity, entry_time,
                              stop_loss, take_profit, fees, entry_reason, metadata)
       VALUES ($1, $2, coalesce($3, 'BINANCE'), $4, $5, $6, coalesce($7, now()), $8, $9, $10, $11, $12)
       RETURNING ${SELECT}`,
      [
        input.sessionId,
        input.symbol,
        input.exchange ?? null,
        input.side,
        input.entryPrice,
        input.quantity,
        input.entryTime ?? null,
        input.stopLoss ?? null,
        input.takeProfit ?? null,
        nonNegative('fees', input.fees ?? '0'),
        input.entryReason ?? null,
        input.metadata ?? {},
      ],
    );
    return one(rows, ENTITY, 'new');
  }

  async get(id: string): Promise<Position> {
    const rows = await query<Position>(this.pool, ENTITY, `SELECT ${SELECT} FROM positions WHERE id = $1`, [id]);
    return one(rows, ENTITY, id);
  }

  /** Changes stop loss, take profit, entry reason of an open position; metadata is merged. */
  async update(id: string, patch: PositionPatch): Promise<Position> {
    const values: unknown[] = [id];
    const sets: string[] = [];
    const assign = (column: string, value: unknown, expression = (param: string) => param) => {
      values.push(value);
      sets.push(`${column} = ${expression(`$${values.length}`)}`);
    };
    if (patch.stopLoss !== undefined) assign('stop_loss', patch.stopLoss);
    if (patch.takeProfit !== undefined) assign('take_profit', patch.takeProfit);
    if (patch.entryReason !== undefined) assign('entry_reason', patch.entryReason);
    if (patch.metadata !== undefined) assign('metadata', patch.metadata, (param) => `metadata || ${param}::jsonb`);
    sets.push('updated_at = now()');
    return this.updateOpen(id, 'UPDATED', sets.join(', '), values);
  }

  /** Marks an open position to `currentPrice`: unrealized PnL before fees, in numeric. */
  async updateUnrealizedPnl(id: string, currentPrice: Decimal): Promise<Position> {
    return this.updateOpen(id, 'MARKED', `unrealized_pnl = ${gross('$2::numeric', 'quantity')}, updated_at = now()`, [
      id,
      currentPrice,
    ]);
  }

  /**
   * Closes the whole remaining quantity at `exitPrice`: adds gross PnL minus `fees` to realized PnL,
   * adds `fees` to the position's fees, zeroes unrealized PnL. Closing twice is an InvalidTransitionError.
   */
  async close(id: string, exitPrice: Decimal, reason: string, fees: Decimal = '0', exitTime?: Date): Promise<Position> {
    return this.updateOpen(
      id,
      'CLOSED',
      `exit_price = $2::numeric, exit_reason = $3, exit_time = coalesce($5, now()),
       realized_pnl = coalesce(realized_pnl, 0) + ${gross('$2::numeric', 'quantity')} - $4::numeric,
       fees = fees + $4::numeric, unrealized_pnl = 0, updated_at = now()`,
      [id, exitPrice, reason, nonNegative('fees', fees), exitTime ?? null],
    );
  }

  /**
   * Closes `quantity` (above 0, below the open quantity) at `price` in one transaction: books its PnL net of
   * `fees` into realized PnL, reduces the quantity, marks the rest at `price` and appends the close to
   * metadata.partialCloses. Returns the position and the PnL booked by this close.
   */
  async partialClose(id: string, quantity: Decimal, price: Decimal, fees: Decimal = '0'): Promise<PartialCloseResult> {
    nonNegative('fees', fees);
    return transaction(this.pool, async (client) => {
      const [current] = await query<{ closed: boolean; invalid: boolean }>(
        client,
        ENTITY,
        `SELECT exit_time IS NOT NULL AS closed, ($2::numeric <= 0 OR $2::numeric >= quantity) AS invalid
           FROM positions WHERE id = $1 FOR UPDATE`,
        [id, quantity],
      );
      if (current === undefined) throw new NotFoundError(ENTITY, id);
      if (current.closed) throw new InvalidTransitionError(ENTITY, id, 'CLOSED', 'PARTIALLY_CLOSED');
      if (current.invalid) {
        throw new ValidationError(ENTITY, 'quantity', `${quantity} must be above 0 and below the open quantity`);
      }
      const booked = `(${gross('$3::numeric', '$2::numeric')} - $4::numeric)`;
      const rows = await query<Position & { booked: Decimal }>(
        client,
        ENTITY,
        `UPDATE positions
            SET quantity = quantity - $2::numeric,
                realized_pnl = coalesce(realized_pnl, 0) + ${booked},
                fees = fees + $4::numeric,
                unrealized_pnl = ${gross('$3::numeric', '(quantity - $2::numeric)')},
                metadata = jsonb_set(metadata, '{partialCloses}', coalesce(metadata -> 'partialCloses', '[]'::jsonb) ||
                  jsonb_build_array(jsonb_build_object('quantity', $2::numeric::text, 'price', $3::numeric::text,
                    'fees', $4::numeric::text, 'realizedPnl', ${booked}::numeric(24, 8)::text, 'at', now()))),
                updated_at = now()
          WHERE id = $1
          RETURNING ${SELECT}, ${booked}::numeric(24, 8)::text AS booked`,
        [id, quantity, price, fees],
      );
      const { booked: realizedPnl, ...position } = one(rows, ENTITY, id);
      return { position, realizedPnl };
    });
  }

  /** Open positions of a session, oldest first. */
  async open(sessionId: string): Promise<Position[]> {
    return query<Position>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM positions WHERE session_id = $1 AND exit_time IS NULL ORDER BY entry_time, id`,
      [sessionId],
    );
  }

  /** All positions of a session, oldest first. */
  async bySession(sessionId: string): Promise<Position[]> {
    return query<Position>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM positions WHERE session_id = $1 ORDER BY entry_time, id`,
      [sessionId],
    );
  }

  /** Counts and sums over a session's positions, in numeric. */
  async totals(sessionId: string): Promise<PositionTotals> {
    const rows = await query<PositionTotals>(
      this.pool,
      ENTITY,
      `SELECT count(*) FILTER (WHERE exit_time IS NULL)::int AS open,
              count(*) FILTER (WHERE exit_time IS NOT NULL)::int AS closed,
              coalesce(sum(realized_pnl), 0)::numeric(24, 8)::text AS "realizedPnl",
              coalesce(sum(unrealized_pnl) FILTER (WHERE exit_time IS NULL), 0)::numeric(24, 8)::text AS "unrealizedPnl",
              coalesce(sum(fees), 0)::numeric(24, 8)::text AS fees
         FROM positions WHERE session_id = $1`,
      [sessionId],
    );
    return one(rows, ENTITY, sessionId);
  }

  /** Runs `UPDATE positions SET <sets> WHERE id = $1` on an open position, or explains why it could not. */
  private async updateOpen(id: string, to: string, sets: string, values: unknown[]): Promise<Position> {
    const rows = await query<Position>(
      this.pool,
      ENTITY,
      `UPDATE positions SET ${sets} WHERE id = $1 AND exit_time IS NULL RETURNING ${SELECT}`,
      values,
    );
    const [row] = rows;
    if (row !== undefined) return row;
    await this.get(id);
    throw new InvalidTransitionError(ENTITY, id, 'CLOSED', to);
  }
}
