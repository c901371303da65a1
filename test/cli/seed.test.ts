import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REFERENCE_TABLES, schemaDatabase, scratchDatabase } from '../support/server.js';
import { cli } from './support.js';

async function counts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, number> = {};
    for (const table of REFERENCE_TABLES) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(table)}`,
      );
      result[table] = rows[0]?.n ?? -1;
    }
    return result;
  } finally {
    await client.end();
  }
}

/** The `table rows` lines of seed's output as a record. */
function printed(out: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const match of out.matchAll(/^([a-z_]+)\s+(\d+)$/gm)) result[match[1] as string] = Number(match[2]);
  return result;
}

describe('timescale-testkit seed', () => {
  let db: Awaited<ReturnType<typeof schemaDatabase>>;
  beforeAll(async () => {
    db = await schemaDatabase('seed_cli');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await db?.drop();
  });

  it('writes sessions with orders, trades, positions and metrics, candles per symbol and agents', async () => {
    const args = [
      '--sessions',
      '2',
      '--orders',
      '3',
      '--candles',
      '100',
      '--symbols',
      'btcusdt, ETHUSDT',
      '--agents',
      '5',
    ];
    const { code, out, err } = await cli(['seed', '--url', db.url, ...args, '--seed', '7']);
    expect(code).toBe(0);
    const expected = {
      trading_sessions: 2,
      orders: 6,
      trades: 12,
      positions: 4,
      performance_metrics: 96,
      candlesticks: 200,
      agent_status: 5,
      agent_signals: 50,
      llm_decisions: 25,
    };
    expect(printed(out)).toEqual(expected);
    expect(await counts(db.url)).toEqual(expected);
    expect(out).toContain('seed 7 (the same rows again: --seed 7 on an empty database)');
    expect(err).toMatch(/^✓ 2 sessions with orders, trades, positions and metrics \([\d.]+ m?s\)$/m);
    expect(err).toMatch(/^✓ 200 candles \(BTCUSDT, ETHUSDT; 1m\) \([\d.]+ m?s\)$/m);
    expect(err).toMatch(/^✓ 5 agents with signals and LLM decisions/m);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const decisions = await client.query<{ dims: number; sessions: number }>(
        'SELECT min(vector_dims(embedding))::int AS dims, count(DISTINCT session_id)::int AS sessions FROM llm_decisions',
      );
      expect(decisions.rows[0]).toEqual({ dims: 1536, sessions: 2 });
      const agents = await client.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM agent_status GROUP BY status ORDER BY status',
      );
      expect(agents.rows).toEqual([
        { status: 'ERROR', n: 1 },
        { status: 'RUNNING', n: 4 },
      ]);
      const candles = await client.query<{ symbols: string[]; last: Date }>(
        'SELECT array_agg(DISTINCT symbol ORDER BY symbol) AS symbols, max(time) AS last FROM candlesticks',
      );
      expect(candles.rows[0]?.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
      expect(candles.rows[0]?.last.toISOString()).toBe('2023-12-31T23:59:00.000Z');
    } finally {
      await client.end();
    }
  });

  it('seeds the same database again (new keys, candles after the latest), and refuses a replayed seed whole', async () => {
    vi.stubEnv('TIMESCALE_TESTKIT_URL', db.url);
    const before = await counts(db.url);
    const again = await cli(['seed', '--sessions', '1', '--candles', '10', '--symbols', 'BTCUSDT', '--agents', '2']);
    expect(again.code).toBe(0);
    const after = await counts(db.url);
    expect(after.trading_sessions).toBe((before.trading_sessions ?? 0) + 1);
    expect(after.candlesticks).toBe((before.candlesticks ?? 0) + 10);
    expect(after.agent_status).toBe((before.agent_status ?? 0) + 2);

    const replay = await cli([
      'seed',
      '--sessions',
      '2',
      '--orders',
      '3',
      '--candles',
      '0',
      '--agents',
      '0',
      '--seed',
      '7',
    ]);
    expect(replay.code).toBe(1);
    const lines = replay.err.split('\n');
    expect(lines.find((line) => line.startsWith('error: '))).toMatch(/duplicate key value/);
    expect(lines.find((line) => line.startsWith('fix: '))).toBe(
      'fix: seed an empty database, or pass another --seed (the same seed makes the same keys)',
    );
    expect(await counts(db.url)).toEqual(after);
    vi.unstubAllEnvs();
  });

  it('writes nothing for zero counts', async () => {
    const { code, out } = await cli(['seed', '--url', db.url, '--sessions', '0', '--candles', '0', '--agents', '0']);
    expect(code).toBe(0);
    expect(printed(out)).toEqual({});
  });

  it('fails with the missing tables and the migrate command when the schema is not there', async () => {
    const empty = await scratchDatabase('seed_empty');
    try {
      const { code, err } = await cli(['seed', '--url', empty.url, '--agents', '0']);
      expect(code).toBe(1);
      const [error, fix] = err.split('\n');
      expect(error).toBe(
        "error: the database lacks the reference schema's table(s) trading_sessions, orders, trades, positions, performance_metrics, candlesticks",
      );
      expect(fix).toMatch(/^fix: apply it first: timescale-testkit migrate --dir \/.*fixtures\/migrations --url URL$/);
    } finally {
      await empty.drop();
    }
  });

  it('usage errors name the flag and exit 2', async () => {
    vi.stubEnv('TIMESCALE_TESTKIT_URL', '');
    vi.stubEnv('DATABASE_URL', '');
    for (const [argv, message] of [
      [['--sessions', 'many'], 'error: --sessions must be a whole number >= 0, got "many"'],
      [['--candles', '1.5'], 'error: --candles must be a whole number >= 0, got "1.5"'],
      [['--interval', '7m'], 'error: --interval must be one of 1m, 3m'],
      [['--agents'], 'error: option --agents needs a value'],
      [['--color'], 'error: unknown option --color for seed'],
      [[], 'error: seed needs a database: pass --url'],
    ] as const) {
      const { code, err } = await cli(['seed', ...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err).toContain(message);
      expect(err).toContain('fix: see `timescale-testkit seed --help`');
    }
    vi.unstubAllEnvs();
  });
});
