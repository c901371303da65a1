import type { SqlTarget } from '../connection/index.js';
import { FactoryContext } from './context.js';
import { Factory } from './define.js';
import type { Definition } from './definition.js';
import { FactoryError, FactoryInsertError, FactoryValidationError } from './errors.js';
import { toExecutor } from './queryable.js';
import type { EmptyObject } from './types.js';

export interface LintCase {
  factory: string;
  traits: string[];
}

export interface LintFailure extends LintCase {
  message: string;
  /** The kit's error code (FACTORY_VALIDATION, FACTORY_INSERT ...) or UNKNOWN. */
  code: string;
  /** SQLSTATE when the database refused the rows. */
  sqlState?: string;
  constraint?: string;
  /** The field a validation rule named, or the database refused. */
  field?: string;
  /** The column the database refused a value of, when it says (or the value shows). */
  column?: string;
}

export interface LintReport {
  ok: boolean;
  seed: number;
  checked: LintCase[];
  failures: LintFailure[];
}

export interface LintOptions {
  seed?: number;
  /** Rows created per case (the bulk path is exercised when > 1). Default 2. */
  count?: number;
  /** Extra trait combinations per factory name, e.g. `{ orders: [['limit', 'filled']] }`. */
  combinations?: Record<string, string[][]>;
}

/** Anything with a factory definition: every `Factory`. */
export interface LintTarget {
  readonly definition: Definition;
}

function failure(kase: LintCase, error: unknown): LintFailure {
  const result: LintFailure = {
    ...kase,
    message: error instanceof Error ? error.message : String(error),
    code: 'UNKNOWN',
  };
  if (error instanceof FactoryError) result.code = error.code;
  if (error instanceof FactoryInsertError) {
    if (error.sqlState !== undefined) result.sqlState = error.sqlState;
    if (error.constraint !== undefined) result.constraint = error.constraint;
    if (error.column !== undefined) result.column = error.column;
    if (error.field !== undefined) result.field = error.field;
  }
  if (error instanceof FactoryValidationError) result.field = error.field;
  return result;
}

/**
 * Creates every factory alone and with each of its traits (plus any extra combinations) inside
 * one transaction that is rolled back, each case under its own savepoint, and reports every
 * case the schema or the factory's own rules refuse.
 */
export async function lintFactoryList(
  db: SqlTarget,
  factories: readonly LintTarget[],
  options: LintOptions = {},
): Promise<LintReport> {
  const executor = toExecutor(db);
  const context = new FactoryContext(executor, options.seed === undefined ? {} : { seed: options.seed });
  const report: LintReport = { ok: true, seed: context.seed, checked: [], failures: [] };
  try {
    await executor.withConnection(async (connection) => {
      const bound = new FactoryContext(connection, { seed: context.seed });
      await connection.query('BEGIN');
      try {
        for (const { definition } of factories) {
          const combinations = [[], ...[...definition.traits.keys()].map((trait) => [trait])];
          combinations.push(...(options.combinations?.[definition.name] ?? []));
          for (const traits of combinations) {
            const kase: LintCase = { factory: definition.name, traits };
            report.checked.push(kase);
            await connection.query('SAVEPOINT tk_lint');
            try {
              await new Factory<object, EmptyObject, true>(definition, bound, traits).createList(options.count ?? 2);
              await connection.query('RELEASE SAVEPOINT tk_lint');
            } catch (error) {
              await connection.query('ROLLBACK TO SAVEPOINT tk_lint; RELEASE SAVEPOINT tk_lint');
              report.failures.push(failure(kase, error));
            }
          }
        }
      } finally {
        await connection.query('ROLLBACK');
      }
    });
  } finally {
    await executor.end();
  }
  report.ok = report.failures.length === 0;
  return report;
}
