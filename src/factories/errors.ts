import { TimescaleTestkitError } from '../errors.js';

/** Anything a factory refuses or the database rejects; the message names the seed to replay. */
export class FactoryError extends TimescaleTestkitError {
  readonly factory: string;
  readonly seed: number | undefined;

  constructor(code: string, factory: string, message: string, options?: { cause?: unknown; seed?: number }) {
    const seed = options?.seed;
    const replay = seed === undefined ? '' : ` [seed ${seed}; replay with TIMESCALE_TESTKIT_SEED=${seed}]`;
    super(code, `${factory}: ${message}${replay}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.factory = factory;
    this.seed = seed;
  }
}

/** A built row breaks a domain rule; thrown before any SQL runs. */
export class FactoryValidationError extends FactoryError {
  readonly field: string;
  readonly value: unknown;

  constructor(factory: string, field: string, value: unknown, rule: string, seed?: number) {
    super(
      'FACTORY_VALIDATION',
      factory,
      `${field} ${rule} (got ${describe(value)})`,
      seed === undefined ? {} : { seed },
    );
    this.field = field;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** The database refused an insert; `sqlState` and `constraint` come from PostgreSQL. */
export class FactoryInsertError extends FactoryError {
  readonly sqlState: string | undefined;
  readonly constraint: string | undefined;

  constructor(factory: string, table: string, cause: unknown, seed?: number) {
    const details = (cause ?? {}) as { message?: string; code?: string; constraint?: string; detail?: string };
    const message = `INSERT INTO ${table} failed: ${details.message ?? String(cause)}${details.detail ? ` (${details.detail})` : ''}`;
    super('FACTORY_INSERT', factory, message, seed === undefined ? { cause } : { cause, seed });
    this.sqlState = details.code;
    this.constraint = details.constraint;
  }
}
