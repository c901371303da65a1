import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TransactionModeError } from '../../src/index.js';
import { beginTestTransaction } from '../../src/isolation/index.js';
import { referenceClone } from '../support/clone.js';
import { recordingPool, recordingTrips } from '../support/recording.js';

/** Repository-style code: takes a client, runs its own transaction. */
async function createSessionWithOrder(pool: pg.Pool, fail = false): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      "INSERT INTO trading_sessions (mode, symbol, initial_capital) VALUES ('PAPER', 'BTCUSDT', 100) RETURNING id",
    );
    await client.query(
      "INSERT INTO orders (session_id, symbol, side, type, quantity) VALUES ($1, 'BTCUSDT', 'BUY', 'MARKET', $2)",
      [rows[0]?.id, fail ? -1 : 1],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

describe('per-test transactions', () => {
  const reference = referenceClone('txn');
  const { count } = reference;

  it('lets application transactions commit inside the test and rolls everything back after', async () => {
    const tx = await reference.db.begin();
    await createSessionWithOrder(tx.pool);
    expect((await tx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]?.n).toBe(1);
    await tx.rollback();
    await tx.rollback();
    expect(await count('orders')).toBe(0);
    expect(await count('trading_sessions')).toBe(0);
  });

  it('turns an application ROLLBACK into a rollback to its savepoint only', async () => {
    const tx = await reference.db.begin();
    await tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('kept', 't', 'RUNNING')");
    await expect(createSessionWithOrder(tx.pool, true)).rejects.toThrow(/check constraint/);
    const { rows } = await tx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM trading_sessions');
    expect(rows[0]?.n).toBe(0);
    expect((await tx.pool.query('SELECT name FROM agent_status')).rows).toEqual([{ name: 'kept' }]);
    await tx.rollback();
    expect(await count('agent_status')).toBe(0);
  });

  it('undoes only the failing autocommit statement, like a real session', async () => {
    const tx = await reference.db.begin();
    await tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('a', 't', 'RUNNING')");
    await expect(
      tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('a', 't', 'RUNNING')"),
    ).rejects.toThrow(/duplicate key/);
    await tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('b', 't', 'RUNNING')");
    expect((await tx.pool.query('SELECT name FROM agent_status ORDER BY name')).rows).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    await tx.rollback();
  });

  it('takes one round trip per statement: savepoints, releases and BEGINs go out ahead of the next statement', async () => {
    const { pool, trips } = recordingTrips(reference.db.connectionString);
    const insert = (name: string) =>
      tx.pool.query('INSERT INTO agent_status (name, type, status) VALUES ($1, $2, $3)', [name, 't', 'RUNNING']);
    const tx = await beginTestTransaction(pool);
    try {
      await insert('first');
      await insert('second');
      await expect(insert('first')).rejects.toThrow(/duplicate key/);
      const client = await tx.pool.connect();
      expect(await client.query('BEGIN')).toMatchObject({ command: 'BEGIN', rows: [] });
      await client.query("INSERT INTO agent_status (name, type, status) VALUES ('inner', 't', 'RUNNING')");
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      const { rows: inside } = await client.query(
        "INSERT INTO agent_status (name, type, status) VALUES ('committed', 't', 'RUNNING') RETURNING name",
      );
      const committed = await client.query('COMMIT');
      // a transaction that ran nothing costs nothing
      await client.query('BEGIN');
      expect(await client.query('COMMIT')).toMatchObject({ command: 'COMMIT' });
      await client.query('BEGIN');
      expect(await client.query('ROLLBACK')).toMatchObject({ command: 'ROLLBACK' });
      client.release();
      await insert('third');
      await expect(insert('third')).rejects.toThrow(/duplicate key/);
      // a named statement: what goes ahead of its first run has a trip of its own (its parse is
      // not confirmed yet); once parsed on the connection, it goes out with what is ahead of it
      const named = { name: 'tk_trip_count', text: 'SELECT count(*)::int AS n FROM agent_status WHERE name = $1' };
      expect((await tx.pool.query({ ...named, values: ['first'] })).rows).toEqual([{ n: 1 }]);
      expect((await tx.pool.query({ ...named, values: ['nobody'] })).rows).toEqual([{ n: 0 }]);
      expect(inside).toEqual([{ name: 'committed' }]);
      expect(committed).toMatchObject({ command: 'COMMIT', rows: [] });
      const insertText = /INSERT INTO agent_status[^;]*/g;
      expect(trips.map((trip) => trip.map((text) => text.replace(insertText, 'INSERT')))).toEqual([
        // the test's BEGIN goes out with its first statement and that statement's savepoint
        ['BEGIN', 'SAVEPOINT tk_stmt', 'INSERT'],
        ['RELEASE SAVEPOINT tk_stmt', 'SAVEPOINT tk_stmt', 'INSERT'],
        ['RELEASE SAVEPOINT tk_stmt', 'SAVEPOINT tk_stmt', 'INSERT'],
        ['ROLLBACK TO SAVEPOINT tk_stmt; RELEASE SAVEPOINT tk_stmt'],
        // an application BEGIN goes out with its first statement (a simple query: in its text)
        ['SAVEPOINT tk_tx_1; INSERT'],
        ['ROLLBACK TO SAVEPOINT tk_tx_1; RELEASE SAVEPOINT tk_tx_1'],
        ['SAVEPOINT tk_tx_1; INSERT'],
        // the COMMIT's release goes out with the next statement and its savepoint
        ['RELEASE SAVEPOINT tk_tx_1', 'SAVEPOINT tk_stmt', 'INSERT'],
        ['RELEASE SAVEPOINT tk_stmt', 'SAVEPOINT tk_stmt', 'INSERT'],
        ['ROLLBACK TO SAVEPOINT tk_stmt; RELEASE SAVEPOINT tk_stmt'],
        ['SAVEPOINT tk_stmt'],
        [named.text, 'EXECUTE tk_trip_count'],
        ['RELEASE SAVEPOINT tk_stmt', 'SAVEPOINT tk_stmt', 'EXECUTE tk_trip_count'],
      ]);
      // each statement's effect is what a real session would keep
      const { rows } = await tx.pool.query('SELECT name FROM agent_status ORDER BY name');
      expect(rows).toEqual([{ name: 'committed' }, { name: 'first' }, { name: 'second' }, { name: 'third' }]);
    } finally {
      await tx.rollback();
      await pool.end();
    }
    expect(await count('agent_status')).toBe(0);
  });

  it('gives back the query’s own results and error positions, whatever went out ahead of it', async () => {
    const tx = await reference.db.begin();
    try {
      await tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('a', 't', 'RUNNING')");
      // several statements in one simple query: their results, none of the savepoints'
      const several = (await tx.pool.query('SELECT 1 AS one; SELECT 2 AS two')) as unknown as pg.QueryResult[];
      expect(several.map((result) => result.rows)).toEqual([[{ one: 1 }], [{ two: 2 }]]);
      // rowMode and parameters through the extended protocol
      const array = await tx.pool.query({
        text: 'SELECT $1::int AS x, $2::text AS y',
        values: [7, 'z'],
        rowMode: 'array',
      });
      expect(array.rows).toEqual([[7, 'z']]);
      expect(array.fields.map((field) => field.name)).toEqual(['x', 'y']);
      // a position counts from the start of the statement as written
      const broken = await tx.pool.query('SELECT nosuchcolumn FROM agent_status').catch((e: unknown) => e);
      expect(broken).toMatchObject({ code: '42703', position: '8' });
      const withValues = await tx.pool
        .query('SELECT $1::int + nosuchcolumn FROM agent_status', [1])
        .catch((e: unknown) => e);
      expect(withValues).toMatchObject({ code: '42703', position: '18' });
      // a config object is not changed by being sent
      const config = { text: 'SELECT $1::int AS n', values: [3] };
      await tx.pool.query(config);
      expect(config).toEqual({ text: 'SELECT $1::int AS n', values: [3] });
      expect((await tx.pool.query(config)).rows).toEqual([{ n: 3 }]);
      // the stack of an error leads back to the caller; a config's query_timeout is kept
      expect((broken as Error).stack).toContain('transaction.test.ts');
      // pg reads query_timeout from a query's config; its types do not list it
      const timed = { text: 'SELECT pg_sleep($1)', values: [0.3], query_timeout: 50 } as pg.QueryConfig;
      const late = await tx.pool.query(timed).catch((e: unknown) => e);
      expect((late as Error).message).toBe('Query read timeout');
      // a named statement, parsed once, and a statement after a failure
      const named = { name: 'tk_named_count', text: 'SELECT count(*)::int AS n FROM agent_status WHERE name = $1' };
      expect((await tx.pool.query({ ...named, values: ['a'] })).rows).toEqual([{ n: 1 }]);
      expect((await tx.pool.query({ ...named, values: ['b'] })).rows).toEqual([{ n: 0 }]);
    } finally {
      await tx.rollback();
    }
  });

  it('keeps transaction control inside a multi-statement query in the test: a seed script with its own BEGIN/COMMIT', async () => {
    const tx = await reference.db.begin();
    try {
      const script = await tx.pool.query(
        "BEGIN; INSERT INTO agent_status (name, type, status) VALUES ('seeded', 't', 'RUNNING'); COMMIT;",
      );
      expect((script as unknown as pg.QueryResult[]).map((result) => result.command)).toEqual([
        'BEGIN',
        'INSERT',
        'COMMIT',
      ]);
      await tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('after', 't', 'RUNNING'); COMMIT");
      await expect(
        tx.pool.query(
          "BEGIN; INSERT INTO agent_status (name, type, status) VALUES ('undone', 't', 'RUNNING'); SELECT 1/0; COMMIT",
        ),
      ).rejects.toThrow(/division by zero/);
      // the transaction the failed script left open ends with its query, as when a client is released
      const { rows } = await tx.pool.query('SELECT name FROM agent_status ORDER BY name');
      expect(rows).toEqual([{ name: 'after' }, { name: 'seeded' }]);
    } finally {
      await tx.rollback();
    }
    // nothing the scripts committed outlives the test
    expect(await count('agent_status')).toBe(0);
  });

  it('sends nothing for a test that runs no statement, and its BEGIN with the first one', async () => {
    const { pool, texts } = recordingPool(reference.db.connectionString);
    try {
      const idle = await beginTestTransaction(pool);
      await idle.rollback();
      const kept = await beginTestTransaction(pool);
      await kept.commit();
      expect(texts).toEqual([]);
      const tx = await beginTestTransaction(pool);
      const client = await tx.pool.connect();
      // inside the test's transaction already, as code that asks the connection sees it
      expect(client.getTransactionStatus()).toBe('T');
      await client.query("INSERT INTO agent_status (name, type, status) VALUES ('x', 't', 'RUNNING')");
      client.release();
      await tx.rollback();
      expect(texts[0]).toMatch(/^BEGIN; SAVEPOINT tk_stmt; INSERT INTO agent_status/);
      expect(texts.at(-1)).toBe('ROLLBACK');
    } finally {
      await pool.end();
    }
    expect(await count('agent_status')).toBe(0);
  });

  it('rolls back a COMMIT that follows a failure whose ReadyForQuery has not arrived yet', async () => {
    const pool = new pg.Pool({ connectionString: reference.db.connectionString, max: 1 });
    // pg rejects a failed query on its ErrorResponse; here the ReadyForQuery ('E') comes 30 ms later
    pool.on('acquire', (client) => {
      const connection = (client as unknown as { connection: { emit: (event: string, ...args: unknown[]) => boolean } })
        .connection;
      const emit = connection.emit.bind(connection);
      let failed = false;
      connection.emit = (event, ...args) => {
        if (event === 'errorMessage') failed = true;
        if (event !== 'readyForQuery' || !failed) return emit(event, ...args);
        failed = false;
        setTimeout(() => emit(event, ...args), 30);
        return true;
      };
    });
    const tx = await beginTestTransaction(pool);
    try {
      const client = await tx.pool.connect();
      await client.query('BEGIN');
      await client.query("INSERT INTO agent_status (name, type, status) VALUES ('undone', 't', 'RUNNING')");
      await expect(client.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
      expect((await client.query('COMMIT')).command).toBe('ROLLBACK');
      client.release();
      expect((await tx.pool.query('SELECT name FROM agent_status')).rows).toEqual([]);
    } finally {
      await tx.rollback();
      await pool.end();
    }
  });

  it('handles COMMIT of a failed transaction, nesting, callbacks and end()', async () => {
    const tx = await reference.db.begin();
    const client = await tx.pool.connect();
    await client.query('BEGIN');
    await client.query('START TRANSACTION');
    await client.query("INSERT INTO agent_status (name, type, status) VALUES ('inner', 't', 'RUNNING')");
    await client.query('ROLLBACK');
    await expect(client.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
    const committed = await client.query('COMMIT');
    expect(committed.rows).toEqual([]);
    await client.query('COMMIT');
    client.release();
    client.release();
    const viaCallback = await new Promise<number>((resolve, reject) => {
      tx.pool.query('SELECT 41 + 1 AS n', [], (error: Error | null, result?: pg.QueryResult) =>
        error ? reject(error) : resolve(result?.rows[0]?.n as number),
      );
    });
    expect(viaCallback).toBe(42);
    await new Promise<void>((resolve, reject) => {
      tx.pool.connect((error, leased, done) => {
        if (error || !leased) return reject(error);
        leased.query('SELECT 1').then(() => {
          done();
          resolve();
        }, reject);
      });
    });
    await tx.pool.end();
    expect((await tx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_status')).rows[0]?.n).toBe(0);
    await tx.rollback();
  });

  it('queues serial connects and fails clearly, not by hanging, when two are needed at once', async () => {
    const tx = await reference.db.begin(300);
    await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const client = await tx.pool.connect();
        await client.query('INSERT INTO agent_status (name, type, status) VALUES ($1, $2, $3)', [
          `w${i}`,
          't',
          'RUNNING',
        ]);
        client.release();
      }),
    );
    expect((await tx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_status')).rows[0]?.n).toBe(5);
    const held = await tx.pool.connect();
    const error = await tx.pool.query('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionModeError);
    expect((error as Error).message).toContain("isolation 'truncate'");
    held.release();
    expect((await tx.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    await tx.rollback();
    expect(await count('agent_status')).toBe(0);
  });

  it('keeps the data when the test transaction is committed', async () => {
    const tx = await reference.db.begin();
    await tx.pool.query("INSERT INTO agent_status (name, type, status) VALUES ('committed', 't', 'RUNNING')");
    await tx.commit();
    expect(await count('agent_status')).toBe(1);
    await reference.db.truncate();
  });
});
