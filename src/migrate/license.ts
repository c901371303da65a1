const APACHE = /not supported under the current "?apache"? license/i;
const REFUSED_FUNCTION = /^function "?(?:\w+\.)?(\w+)"? is not supported/i;

/** Features the Apache edition of TimescaleDB refuses, by the functions and options that use them. */
const FEATURES: readonly { feature: string; functions: RegExp; options: RegExp }[] = [
  { feature: 'retention policies', functions: /retention_policy$/, options: /(?!)/ },
  {
    feature: 'compression',
    functions: /compress|columnstore|rowstore/,
    options: /\btimescaledb\s*\.\s*(?:compress|enable_columnstore|columnstore)\b/i,
  },
  {
    feature: 'continuous aggregates',
    functions: /continuous_aggregate/,
    options: /\btimescaledb\s*\.\s*(?:continuous|materialized_only)\b/i,
  },
  { feature: 'reorder policies', functions: /reorder/, options: /(?!)/ },
];

/** Whether a Postgres error message is TimescaleDB's Apache edition refusing a community feature. */
export function isApacheRefusal(message: string): boolean {
  return APACHE.test(message);
}

/**
 * The feature the Apache edition refused: from the function it names (`function "add_retention_policy"
 * is not supported ...`) or, when the message names none, from the statement's options.
 */
export function refusedFeature(message: string, statement: string): string {
  const fn = REFUSED_FUNCTION.exec(message)?.[1]?.toLowerCase();
  if (fn) return FEATURES.find((entry) => entry.functions.test(fn))?.feature ?? `the TSL function ${fn}()`;
  return (
    FEATURES.find((entry) => entry.options.test(statement))?.feature ??
    'a community-licensed (TSL) feature of TimescaleDB'
  );
}
