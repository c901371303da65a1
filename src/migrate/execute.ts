import type pg from 'pg';
import { type Statement, splitStatements, stripLeadingComments } from '../sql/index.js';
import { outsideTransactionReason, transactionControl } from './classify.js';
import { extensionFor, extensionState } from './extensions.js';
import type { Ledger } from './ledger.js';
import { lineColumn } from './location.js';
import { errorFields, migrationError } from './pg-error.js';
import type { AppliedMigration, LoadedMigration } from './types.js';

/** The statements a migration sends, in order, each with its offset in the file. */
export function statementsOf(migration: LoadedMigration): Statement[] {
  const statements: Statement[] = [];
  for (const chunk of migration.chunks) {
    if (chunk.split) {
      statements.push(...splitStatements(chunk.text, chunk.offset));
      continue;
    }
    const lead = chunk.text.length - chunk.text.trimStart().length;
    const text = chunk.text.slice(lead).trimEnd();
    if (stripLeadingComments(text) !== '') statements.push({ text, offset: chunk.offset + lead });
  }
  return statements;
}

/** Whether the migration runs in its own transaction, the notes explaining when it does not, and why. */
export function transactionPlan(
  migration: LoadedMigration,
  statements: readonly Statement[],
): { transaction: boolean; notes: string[]; reason?: string } {
  if (migration.noTransaction !== null) {
    return {
      transaction: false,
      notes: [`ran without a transaction (${migration.noTransaction})`],
      reason: migration.noTransaction,
    };
  }
  const notes: string[] = [];
  const reasons: string[] = [];
  const lineOf = (statement: Statement): number => lineColumn(migration.content, statement.offset).line;
  for (const statement of statements) {
    const control = transactionControl(statement.text);
    if (control) {
      reasons.push(`line ${lineOf(statement)} runs ${control} itself`);
      notes.push(`ran without a wrapping transaction: ${reasons[0]}`);
      break;
    }
  }
  for (const statement of statements) {
    const why = outsideTransactionReason(statement.text);
    if (why) {
      reasons.push(`line ${lineOf(statement)}: ${why}`);
      notes.push(`ran without a transaction: ${reasons.at(-1)}`);
    }
  }
  return { transaction: notes.length === 0, notes, ...(reasons[0] ? { reason: reasons[0] } : {}) };
}

/** Statements that stay applied when the next one fails: those not undone by a ROLLBACK of the migration's own. */
class AppliedStatements {
  readonly #kept: Statement[] = [];
  #open: Statement[] | undefined;

  ran(statement: Statement): void {
    const control = transactionControl(statement.text);
    if (control === 'BEGIN' || control === 'START TRANSACTION') {
      this.#open = [];
    } else if (control === 'COMMIT' || control === 'END') {
      this.#kept.push(...(this.#open ?? []));
      this.#open = undefined;
    } else if (control === 'ROLLBACK' || control === 'ABORT') {
      this.#open = undefined;
    } else {
      (this.#open ?? this.#kept).push(statement);
    }
  }

  /** What stayed after a failure (an open transaction of the migration's own is rolled back). */
  get kept(): readonly Statement[] {
    return this.#kept;
  }
}

export interface ApplyContext {
  /** `SHOW server_encoding`: how Postgres counts error positions. */
  serverEncoding?: string;
}

/**
 * Applies one migration and records it in the ledger: both in one transaction unless the
 * migration must run without one, in which case statements run one by one and the ledger
 * row follows the last of them.
 */
export async function applyMigration(
  client: pg.ClientBase,
  migration: LoadedMigration,
  ledger: Ledger,
  context: ApplyContext = {},
): Promise<AppliedMigration> {
  const statements = statementsOf(migration);
  const { transaction, notes, reason } = transactionPlan(migration, statements);
  const started = performance.now();
  const applied = new AppliedStatements();
  let failed: { error: unknown; statement: Statement } | undefined;
  if (transaction) await client.query('BEGIN');
  try {
    for (const statement of statements) {
      try {
        await client.query(statement.text);
      } catch (error) {
        failed = { error, statement };
        throw error;
      }
      applied.ran(statement);
    }
    const ms = performance.now() - started;
    await ledger.record(client, migration, ms);
    if (transaction) await client.query('COMMIT');
    return { version: migration.version, name: migration.name, ms: Math.round(ms * 10) / 10, notes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (!failed) throw error;
    const fields = errorFields(failed.error);
    const extension = extensionFor(fields.code, fields.message);
    throw migrationError(failed.error, migration, failed.statement, {
      inTransaction: transaction,
      ...(reason ? { reason } : {}),
      leftApplied: applied.kept,
      ...(context.serverEncoding ? { serverEncoding: context.serverEncoding } : {}),
      ...(extension ? { extension: { name: extension, state: await extensionState(client, extension) } } : {}),
    });
  }
}
