import type { SqlTarget } from '../connection/index.js';
import { type LintOptions, type LintReport, type LintTarget, lintFactoryList } from '../factories/index.js';
import { domainFactories } from './create.js';

export interface LintFactoriesOptions extends LintOptions {
  /** Your own factories, linted after the domain's. */
  factories?: readonly LintTarget[];
  /** false: lint only `factories` (default true). */
  domain?: boolean;
}

/**
 * Creates every domain factory (and yours) alone and with each trait, inside a transaction
 * that is rolled back, and reports every combination the schema or the factory's rules refuse.
 */
export function lintFactories(db: SqlTarget, options: LintFactoriesOptions = {}): Promise<LintReport> {
  const { factories = [], domain = true, ...lint } = options;
  return lintFactoryList(db, [...(domain ? domainFactories : []), ...factories], lint);
}
