import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { truncateAll } from '../../src/index.js';
import { referenceClone } from '../support/clone.js';
import { recordingPool } from '../support/recording.js';
import { serverUrl } from '../support/server.js';

describe('truncateAll', () => {
  const reference = referenceClone('trunc');
  const { count } = reference;

  async function seed(): Promise<void> {
    await reference.db.exec(`
      INSERT INTO trading_sessions (id, mode, symbol, initial_capital) VALUES ('00000000-0000-0000-0000-000000000001', 'PAPER', 'BTCUSDT', 1000);
      INSERT INTO orders (session_id, symbol, side, type, quantity) VALUES ('00000000-0000-0000-0000-000000000001', 'BTCUSDT', 'BUY', 'MARKET', 1);
      INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'BTCUSDT', 'BUY', 0.5);
      INSERT INTO candlesticks (time, symbol, interval, open, high, low, close, volume)
        SELECT t, 'BTCUSDT', '1h', 10, 12, 9, 11, 5 FROM generate_series('2026-01-01'::timestamptz, '2026-02-01', '1 hour') t;
    `);
  }

  it('connects a pg.Client that was never connected instead of waiting forever', async () => {
    await seed();
    const client = new pg.Client({ connectionString: reference.db.connectionString });
    try {
      const result = await truncateAll(client);
      expect(result.truncated).toContain('public.orders');
      expect(await count('orders')).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('empties every user table, hypertables included, in one statement, and keeps the ledger', async () => {
    await seed();
    const ledger = await count('timescale_testkit_migrations');
    expect(ledger).toBe(4);
    const result = await reference.db.truncate();
    expect(result.truncated).toContain('public.candlesticks');
    expect(result.truncated).toContain('public.orders');
    expect(result.truncated).not.toContain('public.timescale_testkit_migrations');
    expect(result.truncated.some((t) => t.startsWith('_timescaledb'))).toBe(false);
    for (const table of ['trading_sessions', 'orders', 'agent_signals', 'candlesticks'])
      expect(await count(table)).toBe(0);
    expect(await count('timescale_testkit_migrations')).toBe(ledger);
  });

  it('restarts identities by default and keeps them when asked', async () => {
    await seed();
    await reference.db.truncate();
    await seed();
    const first = await reference.db.query<{ id: string }>('SELECT id FROM agent_signals');
    expect(first.rows[0]?.id).toBe('1');
    await reference.db.truncate({ restartIdentity: false });
    await seed();
    const second = await reference.db.query<{ id: string }>('SELECT id FROM agent_signals');
    expect(second.rows[0]?.id).toBe('2');
  });

  it('truncates only dirty tables and what references them', async () => {
    await reference.db.truncate();
    expect((await reference.db.truncate({ onlyDirty: true })).truncated).toEqual([]);
    await reference.db.exec(
      "INSERT INTO trading_sessions (mode, symbol, initial_capital) VALUES ('LIVE', 'ETHUSDT', 5)",
    );
    const result = await truncateAll(reference.db.pool, { onlyDirty: true });
    expect(result.truncated).toContain('public.trading_sessions');
    expect(result.truncated).toContain('public.orders');
    expect(result.truncated).toContain('public.trades');
    expect(result.truncated).not.toContain('public.candlesticks');
    expect(result.truncated).not.toContain('public.agent_status');
    expect(await count('trading_sessions')).toBe(0);
  });

  it('checks the safeguard once per pool, not before every truncation', async () => {
    const { pool, texts } = recordingPool(reference.db.connectionString);
    try {
      for (let round = 0; round < 3; round++) {
        await pool.query(
          "INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'X', 'BUY', 0.5)",
        );
        expect((await truncateAll(pool, { onlyDirty: true })).truncated).toEqual(['public.agent_signals']);
      }
      expect(texts.filter((text) => text.includes('shobj_description'))).toHaveLength(1);
    } finally {
      await pool.end();
    }
  });

  it('finds and truncates the dirty tables in one round trip, hypertables and identities included', async () => {
    await reference.db.truncate();
    const { pool, texts } = recordingPool(reference.db.connectionString);
    try {
      await truncateAll(pool, { onlyDirty: true }); // safeguard, catalog and the session's function, once
      await seed();
      await pool.query("INSERT INTO agent_status (name, type, status) VALUES ('x', 't', 'RUNNING')");
      texts.length = 0;
      const result = await truncateAll(pool, { onlyDirty: true });
      expect(texts).toHaveLength(1);
      expect(result.truncated).toEqual([
        'public.agent_signals',
        'public.agent_status',
        'public.candlesticks',
        'public.llm_decisions',
        'public.orders',
        'public.performance_metrics',
        'public.positions',
        'public.trades',
        'public.trading_sessions',
      ]);
      for (const table of ['agent_signals', 'agent_status', 'candlesticks', 'orders'])
        expect(await count(table)).toBe(0);
      const chunks = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM show_chunks('candlesticks')");
      expect(chunks.rows[0]?.n).toBe(0);
      await pool.query(
        "INSERT INTO agent_signals (agent_name, symbol, signal, confidence) VALUES ('a', 'X', 'BUY', 0.5)",
      );
      expect((await pool.query<{ id: string }>('SELECT id FROM agent_signals')).rows[0]?.id).toBe('1');
      expect(await count('timescale_testkit_migrations')).toBe(4);
    } finally {
      await pool.end();
      await reference.db.truncate();
    }
  });

  it('refuses a database the kit did not create before it looks at any table', async () => {
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    try {
      await expect(truncateAll(admin, { onlyDirty: true })).rejects.toThrow(/the kit did not create it/);
    } finally {
      await admin.end();
    }
  });

  it('leaves the tables in except', async () => {
    await seed();
    const result = await reference.db.truncate({ except: ['candlesticks', 'public.agent_signals'] });
    expect(result.truncated).not.toContain('public.candlesticks');
    expect(await count('candlesticks')).toBeGreaterThan(0);
    expect(await count('agent_signals')).toBe(1);
    expect(await count('orders')).toBe(0);
    await reference.db.truncate();
  });
});
