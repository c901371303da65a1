import type pg from 'pg';
import { one, query } from './db.js';
import { ValidationError } from './errors.js';
import { type Columns, pageWindow, selectList } from './mapping.js';
import type {
  AgentSignal,
  AgentStatus,
  AgentStatusInput,
  Consensus,
  Decimal,
  NewAgentSignal,
  SignalFilter,
} from './types.js';

const STATUS = 'agent_status';
const SIGNAL = 'agent_signal';

const STATUS_COLUMNS: Columns<AgentStatus> = {
  name: 'name',
  type: 'type',
  status: 'status',
  pid: 'pid',
  version: 'version',
  startedAt: 'started_at',
  lastHeartbeat: 'last_heartbeat',
  errorMessage: 'error_message',
  metadata: 'metadata',
};
const SELECT_STATUS = selectList(STATUS_COLUMNS);

const SIGNAL_COLUMNS: Columns<AgentSignal> = {
  id: 'id::text',
  agentName: 'agent_name',
  symbol: 'symbol',
  signal: 'signal',
  confidence: 'confidence',
  reasoning: 'reasoning',
  metadata: 'metadata',
  createdAt: 'created_at',
};
const SELECT_SIGNAL = selectList(SIGNAL_COLUMNS);

/** A positive number of milliseconds, for intervals. */
function milliseconds(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError(STATUS, field, `must be > 0 ms, got ${value}`);
  return value;
}

/** Agent liveness (status rows with heartbeats) and the signals agents emit. */
export class AgentRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Inserts or replaces an agent's status and refreshes its heartbeat. Going back to STARTING restarts
   * `startedAt`; any other status keeps it.
   */
  async upsertStatus(input: AgentStatusInput): Promise<AgentStatus> {
    const rows = await query<AgentStatus>(
      this.pool,
      STATUS,
      `INSERT INTO agent_status AS a (name, type, status, pid, version, error_message, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (name) DO UPDATE
          SET type = excluded.type, status = excluded.status, pid = excluded.pid, version = excluded.version,
              error_message = excluded.error_message, metadata = excluded.metadata, last_heartbeat = now(),
              started_at = CASE WHEN excluded.status = 'STARTING' THEN now() ELSE a.started_at END
       RETURNING ${SELECT_STATUS}`,
      [
        input.name,
        input.type,
        input.status,
        input.pid ?? null,
        input.version ?? null,
        input.errorMessage ?? null,
        input.metadata ?? {},
      ],
    );
    return one(rows, STATUS, input.name);
  }

  /** The agent's status, or NotFoundError. */
  async get(name: string): Promise<AgentStatus> {
    const rows = await query<AgentStatus>(
      this.pool,
      STATUS,
      `SELECT ${SELECT_STATUS} FROM agent_status WHERE name = $1`,
      [name],
    );
    return one(rows, STATUS, name);
  }

  /** Records a heartbeat (now, or `at`); NotFoundError for an unknown agent. */
  async heartbeat(name: string, at?: Date): Promise<AgentStatus> {
    const rows = await query<AgentStatus>(
      this.pool,
      STATUS,
      `UPDATE agent_status SET last_heartbeat = coalesce($2, now()) WHERE name = $1 RETURNING ${SELECT_STATUS}`,
      [name, at ?? null],
    );
    return one(rows, STATUS, name);
  }

  /**
   * Agents that should be alive (STARTING or RUNNING) but whose last heartbeat is more than
   * `olderThanMs` milliseconds old, stalest first.
   */
  async listStale(olderThanMs: number): Promise<AgentStatus[]> {
    return query<AgentStatus>(
      this.pool,
      STATUS,
      `SELECT ${SELECT_STATUS} FROM agent_status
        WHERE status IN ('STARTING', 'RUNNING') AND last_heartbeat < now() - make_interval(secs => $1 / 1000.0)
        ORDER BY last_heartbeat, name`,
      [milliseconds('olderThanMs', olderThanMs)],
    );
  }

  async recordSignal(input: NewAgentSignal): Promise<AgentSignal> {
    const rows = await query<AgentSignal>(
      this.pool,
      SIGNAL,
      `INSERT INTO agent_signals (agent_name, symbol, signal, confidence, reasoning, metadata, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()))
       RETURNING ${SELECT_SIGNAL}`,
      [
        input.agentName,
        input.symbol,
        input.signal,
        input.confidence,
        input.reasoning ?? null,
        input.metadata ?? {},
        input.createdAt ?? null,
      ],
    );
    return one(rows, SIGNAL, input.agentName);
  }

  /** Signals matching every given filter, newest first. */
  async signals(filter: SignalFilter = {}): Promise<AgentSignal[]> {
    const { limit } = pageWindow(SIGNAL, { limit: filter.limit ?? 100 });
    return query<AgentSignal>(
      this.pool,
      SIGNAL,
      `SELECT ${SELECT_SIGNAL} FROM agent_signals
        WHERE ($1::text IS NULL OR agent_name = $1)
          AND ($2::text IS NULL OR symbol = $2)
          AND ($3::text IS NULL OR signal = $3)
          AND ($4::timestamptz IS NULL OR created_at >= $4)
          AND ($5::timestamptz IS NULL OR created_at < $5)
        ORDER BY created_at DESC, id DESC
        LIMIT $6`,
      [
        filter.agentName ?? null,
        filter.symbol ?? null,
        filter.signal ?? null,
        filter.from ?? null,
        filter.to ?? null,
        limit,
      ],
    );
  }

  /**
   * Confidence-weighted vote on `symbol` over the last `windowMs` milliseconds before `at` (default now):
   * each agent's latest signal counts once with its confidence as weight; the signal with the highest
   * summed confidence wins, a tie at the top (or no vote) yields HOLD. All sums are numeric.
   */
  async consensus(symbol: string, windowMs: number, at?: Date): Promise<Consensus> {
    const rows = await query<Omit<Consensus, 'symbol' | 'scores'> & Record<'buy' | 'sell' | 'hold', Decimal>>(
      this.pool,
      SIGNAL,
      `WITH latest AS (
         SELECT DISTINCT ON (agent_name) agent_name, signal, confidence
           FROM agent_signals
          WHERE symbol = $1
            AND created_at <= coalesce($3::timestamptz, now())
            AND created_at > coalesce($3::timestamptz, now()) - make_interval(secs => $2 / 1000.0)
          ORDER BY agent_name, created_at DESC, id DESC
       ), scores AS (
         SELECT s.signal, coalesce(sum(l.confidence), 0) AS score
           FROM (VALUES ('BUY'), ('SELL'), ('HOLD')) AS s (signal)
           LEFT JOIN latest l ON l.signal = s.signal
          GROUP BY s.signal
       ), winner AS (
         SELECT CASE WHEN count(*) = 1 THEN min(signal) ELSE 'HOLD' END AS signal
           FROM scores WHERE score = (SELECT max(score) FROM scores)
       )
       SELECT w.signal,
              (SELECT count(*) FROM latest)::int AS agents,
              sum(s.score) FILTER (WHERE s.signal = 'BUY')::numeric(12, 4)::text AS buy,
              sum(s.score) FILTER (WHERE s.signal = 'SELL')::numeric(12, 4)::text AS sell,
              sum(s.score) FILTER (WHERE s.signal = 'HOLD')::numeric(12, 4)::text AS hold,
              (CASE WHEN sum(s.score) = 0 THEN 0
                    ELSE sum(s.score) FILTER (WHERE s.signal = w.signal) / sum(s.score) END)::numeric(12, 4)::text
                AS agreement
         FROM scores s CROSS JOIN winner w
        GROUP BY w.signal`,
      [symbol, milliseconds('windowMs', windowMs), at ?? null],
    );
    const { signal, agents, agreement, buy, sell, hold } = one(rows, SIGNAL, symbol);
    return { symbol, signal, scores: { BUY: buy, SELL: sell, HOLD: hold }, agreement, agents };
  }
}
