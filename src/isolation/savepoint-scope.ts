// The per-test transaction's statements as a real session would see them: each autocommit
// statement in a savepoint of its own, the application's transactions as savepoints, and what
// only changes the transaction's state sent ahead of the next statement.
import type pg from 'pg';
import { sendAhead } from './ahead.js';
import { noop, type QueryArgs, textOf } from './pool-shim.js';

/**
 * Whether the connection is in a transaction that has not failed ('T' in its last
 * ReadyForQuery). pg rejects a failed query as soon as the error arrives, which may be before
 * the ReadyForQuery that says 'E': the status counts only once the connection is ready again.
 */
function inHealthyTransaction(client: pg.PoolClient): boolean {
  const state = client as { readyForQuery?: boolean; getTransactionStatus?: () => string | null };
  return state.readyForQuery === true && state.getTransactionStatus?.() === 'T';
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const COMMIT = /^\s*(COMMIT|END)\b/i;
const ROLLBACK = /^\s*(ROLLBACK|ABORT)\s*(WORK|TRANSACTION)?\s*;?\s*$/i;

/** A word that may start a transaction-control statement somewhere in a text (a cheap first look). */
const CONTROL_WORD = /\b(BEGIN|START|COMMIT|END|ROLLBACK|ABORT)\b/i;

/**
 * Whether a query may be a script: no parameters, a statement after a `;`, and a word of
 * transaction control somewhere (a first look, without splitting, for every statement).
 */
function mayBeScript([first, values]: QueryArgs, text: string): boolean {
  if (values?.length || (typeof first !== 'string' && (first.values?.length || first.name !== undefined))) return false;
  return CONTROL_WORD.test(text) && /;\s*\S/.test(text);
}

/**
 * The statements of a simple query that holds several, one of them transaction control
 * (BEGIN, COMMIT, ROLLBACK): sent as it is, its COMMIT would end the test's transaction.
 * Undefined for anything else (the splitter loads only for such a text).
 */
async function controlScript(text: string): Promise<string[] | undefined> {
  const { splitStatements, stripLeadingComments } = await import('../sql/index.js');
  const statements = splitStatements(text).map((statement) => statement.text);
  if (statements.length < 2) return undefined;
  const control = statements.some((statement) => {
    const bare = stripLeadingComments(statement);
    return BEGIN.test(bare) || COMMIT.test(bare) || ROLLBACK.test(bare);
  });
  return control ? statements : undefined;
}

/**
 * Per test connection, what is still to be sent ahead of the next statement, in the same round
 * trip: the test's BEGIN (until its first statement), then, in order, the RELEASE of a
 * succeeded statement's savepoint or of a committed application transaction, and the SAVEPOINT
 * of an application BEGIN.
 */
export interface Pending {
  begin: boolean;
  ahead: string[];
}

/** What a statement answered without a round trip answers. */
function answered(command: string): pg.QueryResult {
  return { command, rowCount: null, oid: 0, rows: [], fields: [] };
}

/**
 * Runs statements on the pinned connection the way a real session would: each autocommit
 * statement in its own savepoint (an error undoes only that statement), and the
 * application's BEGIN / COMMIT / ROLLBACK as SAVEPOINT / RELEASE / ROLLBACK TO. What only
 * changes the transaction's state goes out ahead of the next statement, in its round trip: a
 * statement's SAVEPOINT and the previous one's RELEASE, an application's BEGIN (answered at
 * once), the COMMIT of a healthy outermost one. A statement costs one round trip, as outside
 * the test's transaction.
 */
export class SavepointScope {
  depth = 0;
  constructor(
    private readonly client: pg.PoolClient,
    private readonly pending: Pending,
  ) {}

  /** Everything pending, taken: the caller sends it ahead of its statement. */
  #takeAhead(): string[] {
    const ahead = this.pending.begin ? ['BEGIN', ...this.pending.ahead] : this.pending.ahead;
    this.pending.begin = false;
    this.pending.ahead = [];
    return ahead;
  }

  /** The first result of `sql` (statements without parameters), sent after what is pending. */
  async #first(sql: string): Promise<pg.QueryResult> {
    const results: unknown = await sendAhead(this.client, this.#takeAhead(), [sql]);
    return (Array.isArray(results) ? results[0] : results) as pg.QueryResult;
  }

  async run(args: QueryArgs): Promise<pg.QueryResult> {
    const text = textOf(args);
    const script = mayBeScript(args, text) ? await controlScript(text) : undefined;
    if (script) return this.#script(script);
    if (BEGIN.test(text)) {
      this.depth++;
      this.pending.ahead.push(`SAVEPOINT tk_tx_${this.depth}`);
      return answered('BEGIN');
    }
    if (COMMIT.test(text)) return this.depth === 0 ? this.client.query('SELECT 1 WHERE false') : this.commit();
    if (ROLLBACK.test(text)) return this.depth === 0 ? this.client.query('SELECT 1 WHERE false') : this.rollback();
    if (this.depth > 0) return sendAhead(this.client, this.#takeAhead(), args);
    this.pending.ahead.push('SAVEPOINT tk_stmt');
    try {
      const value = await sendAhead(this.client, this.#takeAhead(), args);
      this.pending.ahead.push('RELEASE SAVEPOINT tk_stmt');
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT tk_stmt; RELEASE SAVEPOINT tk_stmt').catch(noop);
      throw error;
    }
  }

  /**
   * A script whose statements include transaction control, one statement at a time through
   * this scope (its BEGIN a savepoint, its COMMIT a release), so that it cannot end the test's
   * transaction; their results, as pg gives a multi-statement query's. An error stops it, as
   * it would the script in one query, leaving an open application transaction open.
   */
  async #script(statements: readonly string[]): Promise<pg.QueryResult> {
    const results: pg.QueryResult[] = [];
    for (const statement of statements) results.push(await this.run([statement]));
    return results as unknown as pg.QueryResult;
  }

  /** Whether the savepoint of the innermost application BEGIN is still unsent (nothing ran in it). */
  #unsent(name: string): boolean {
    const ahead = this.pending.ahead;
    if (ahead[ahead.length - 1] !== `SAVEPOINT ${name}`) return false;
    ahead.pop();
    return true;
  }

  async commit(): Promise<pg.QueryResult> {
    const name = `tk_tx_${this.depth}`;
    this.depth--;
    if (this.#unsent(name)) return answered('COMMIT');
    // RELEASE cannot fail in a healthy transaction (a failed one rolls back below, now)
    if (this.depth === 0 && inHealthyTransaction(this.client)) {
      this.pending.ahead.push(`RELEASE SAVEPOINT ${name}`);
      return answered('COMMIT');
    }
    try {
      return await this.#first(`RELEASE SAVEPOINT ${name}`);
    } catch (error) {
      // COMMIT of a failed transaction rolls it back, as PostgreSQL does
      if ((error as { code?: string }).code !== '25P02') throw error;
      this.depth++;
      return this.rollback();
    }
  }

  async rollback(): Promise<pg.QueryResult> {
    const name = `tk_tx_${this.depth}`;
    this.depth--;
    if (this.#unsent(name)) return answered('ROLLBACK');
    return this.#first(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
  }

  /** Undo an application transaction left open when its client is released. */
  async unwind(): Promise<void> {
    while (this.depth > 0) await this.rollback();
  }
}
