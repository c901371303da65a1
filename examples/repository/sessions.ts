import type pg from 'pg';
import { one, query } from './db.js';
import { InvalidTransitionError } from './errors.js';
import { type Columns, selectList } from './mapping.js';
import type { Decimal, NewSession, SessionStats, TradingSession } from './types.js';

const ENTITY = 'trading_session';

const COLUMNS: Columns<TradingSession> = {
  id: 'id',
  mode: 'mode',
  symbol: 'symbol',
  exchange: 'exchange',
  startedAt: 'started_at',
  stoppedAt: 'stopped_at',
  initialCapital: 'initial_capital',
  finalCapital: 'final_capital',
  totalTrades: 'total_trades',
  winningTrades: 'winning_trades',
  losingTrades: 'losing_trades',
  totalPnl: 'total_pnl',
  maxDrawdown: 'max_drawdown',
  sharpeRatio: 'sharpe_ratio',
  config: 'config',
  metadata: 'metadata',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const SELECT = selectList(COLUMNS);

/** Trading sessions: a run of a strategy on one symbol with its capital and statistics. */
export class SessionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(input: NewSession): Promise<TradingSession> {
    const rows = await query<TradingSession>(
      this.pool,
      ENTITY,
      `INSERT INTO trading_sessions (mode, symbol, exchange, started_at, initial_capital, config, metadata)
       VALUES ($1, $2, coalesce($3, 'BINANCE'), coalesce($4, now()), $5, $6, $7)
       RETURNING ${SELECT}`,
      [
        input.mode,
        input.symbol,
        input.exchange ?? null,
        input.startedAt ?? null,
        input.initialCapital,
        input.config ?? {},
        input.metadata ?? {},
      ],
    );
    return one(rows, ENTITY, 'new');
  }

  /** The session, or NotFoundError. */
  async get(id: string): Promise<TradingSession> {
    const rows = await query<TradingSession>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM trading_sessions WHERE id = $1`,
      [id],
    );
    return one(rows, ENTITY, id);
  }

  /** Overwrites the given statistics; the schema's CHECKs (wins + losses <= trades ...) still apply. */
  async updateStats(id: string, stats: SessionStats): Promise<TradingSession> {
    const rows = await query<TradingSession>(
      this.pool,
      ENTITY,
      `UPDATE trading_sessions
          SET total_trades   = coalesce($2, total_trades),
              winning_trades = coalesce($3, winning_trades),
              losing_trades  = coalesce($4, losing_trades),
              total_pnl      = coalesce($5, total_pnl),
              max_drawdown   = coalesce($6, max_drawdown),
              sharpe_ratio   = CASE WHEN $7::boolean THEN $8::numeric ELSE sharpe_ratio END,
              updated_at     = now()
        WHERE id = $1
        RETURNING ${SELECT}`,
      [
        id,
        stats.totalTrades ?? null,
        stats.winningTrades ?? null,
        stats.losingTrades ?? null,
        stats.totalPnl ?? null,
        stats.maxDrawdown ?? null,
        stats.sharpeRatio !== undefined,
        stats.sharpeRatio ?? null,
      ],
    );
    return one(rows, ENTITY, id);
  }

  /** Stops a running session; stopping it twice is an InvalidTransitionError. */
  async stop(id: string, finalCapital: Decimal, stoppedAt?: Date): Promise<TradingSession> {
    const rows = await query<TradingSession>(
      this.pool,
      ENTITY,
      `UPDATE trading_sessions
          SET stopped_at = coalesce($2, now()), final_capital = $3, updated_at = now()
        WHERE id = $1 AND stopped_at IS NULL
        RETURNING ${SELECT}`,
      [id, stoppedAt ?? null, finalCapital],
    );
    const [row] = rows;
    if (row !== undefined) return row;
    await this.get(id); // NotFoundError when it does not exist at all
    throw new InvalidTransitionError(ENTITY, id, 'STOPPED', 'STOPPED');
  }

  /** Sessions not stopped yet, oldest first. */
  async active(): Promise<TradingSession[]> {
    return query<TradingSession>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM trading_sessions WHERE stopped_at IS NULL ORDER BY started_at, id`,
    );
  }
}
