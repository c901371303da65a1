import { stripLeadingComments } from '../sql/index.js';

const TRANSACTION_CONTROL = /^(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT)\b(?!\s+TO\b)/i;
const CONTINUOUS_AGGREGATE = /^CREATE\s+(?:OR\s+REPLACE\s+)?MATERIALIZED\s+VIEW\b/i;
const CONTINUOUS_OPTION = /\btimescaledb\s*\.\s*continuous\b/i;
const WITH_NO_DATA = /\bWITH\s+NO\s+DATA\s*;?\s*$/i;
const REFRESH_CALL = /^CALL\s+(?:(?:"[^"]+"|\w+)\s*\.\s*)?"?refresh_continuous_aggregate"?\s*\(/i;

/** The transaction-control keyword a statement starts with (BEGIN, COMMIT, ...), if any. */
export function transactionControl(statement: string): string | undefined {
  return TRANSACTION_CONTROL.exec(stripLeadingComments(statement))?.[1]?.toUpperCase().replace(/\s+/g, ' ');
}

/**
 * Why a TimescaleDB statement cannot run inside a transaction block, or undefined when it can.
 * Recognised: creating a continuous aggregate WITH DATA (the default, which refreshes it) and
 * `CALL refresh_continuous_aggregate(...)`.
 */
export function outsideTransactionReason(statement: string): string | undefined {
  const sql = stripLeadingComments(statement);
  if (CONTINUOUS_AGGREGATE.test(sql) && CONTINUOUS_OPTION.test(sql) && !WITH_NO_DATA.test(sql)) {
    return 'CREATE MATERIALIZED VIEW ... WITH (timescaledb.continuous) refreshes the new continuous aggregate, which cannot run inside a transaction block';
  }
  if (REFRESH_CALL.test(sql)) return 'CALL refresh_continuous_aggregate(...) cannot run inside a transaction block';
  return undefined;
}
