import type pg from 'pg';
import { outsideTransactionReason, transactionControl } from './classify.js';
import type { Ledger } from './ledger.js';
import { lineColumn } from './location.js';
import { migrationError } from './pg-error.js';
import { type Statement, splitStatements, stripLeadingComments } from './split.js';
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

/** Whether the migration runs in its own transaction, and the notes explaining when it does not. */
export function transactionPlan(
  migration: LoadedMigration,
  statements: readonly Statement[],
): { transaction: boolean; notes: string[] } {
  if (migration.noTransaction !== null) {
    return { transaction: false, notes: [`ran without a transaction (${migration.noTransaction})`] };
  }
  const notes: string[] = [];
  const lineOf = (statement: Statement): number => lineColumn(migration.content, statement.offset).line;
  for (const statement of statements) {
    const control = transactionControl(statement.text);
    if (control) {
      notes.push(`ran without a wrapping transaction: line ${lineOf(statement)} runs ${control} itself`);
      break;
    }
  }
  for (const statement of statements) {
    const reason = outsideTransactionReason(statement.text);
    if (reason) notes.push(`ran without a transaction: line ${lineOf(statement)}: ${reason}`);
  }
  return { transaction: notes.length === 0, notes };
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
): Promise<AppliedMigration> {
  const statements = statementsOf(migration);
  const { transaction, notes } = transactionPlan(migration, statements);
  const started = performance.now();
  if (transaction) await client.query('BEGIN');
  try {
    for (const statement of statements) {
      try {
        await client.query(statement.text);
      } catch (error) {
        throw migrationError(error, migration, statement, transaction);
      }
    }
    const ms = performance.now() - started;
    await ledger.record(client, migration, ms);
    if (transaction) await client.query('COMMIT');
    return { version: migration.version, name: migration.name, ms: Math.round(ms * 10) / 10, notes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
