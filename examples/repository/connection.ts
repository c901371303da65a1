import type pg from 'pg';
import { one, query } from './db.js';

export interface Health {
  /** True when the server answered and both extensions are installed. */
  ok: boolean;
  database: string;
  /** e.g. '17.5'. */
  serverVersion: string;
  /** Installed extension versions, null when missing. */
  timescaledb: string | null;
  vector: string | null;
  /** Round trip of the health query. */
  latencyMs: number;
}

export interface PoolStats {
  /** Clients open (idle + busy). */
  total: number;
  idle: number;
  /** Queries waiting for a client. */
  waiting: number;
  /** The pool's configured maximum. */
  max: number;
}

/** Round trip of `SELECT 1` in milliseconds; rejects when the database does not answer. */
export async function ping(pool: pg.Pool): Promise<number> {
  const started = performance.now();
  await pool.query('SELECT 1');
  return performance.now() - started;
}

/** What a readiness probe wants to know: server version, database, TimescaleDB and pgvector. */
export async function health(pool: pg.Pool): Promise<Health> {
  const started = performance.now();
  const rows = await query<Omit<Health, 'ok' | 'latencyMs'>>(
    pool,
    'health',
    `SELECT current_database() AS database,
            current_setting('server_version') AS "serverVersion",
            (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`,
  );
  const row = one(rows, 'health', 'server');
  const latencyMs = performance.now() - started;
  return { ok: row.timescaledb !== null && row.vector !== null, ...row, latencyMs };
}

/** The pool's counters, for dashboards and leak checks. */
export function poolStats(pool: pg.Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max };
}
