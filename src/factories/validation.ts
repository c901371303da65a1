import { compare, isDecimal } from './decimal.js';
import { FactoryValidationError } from './errors.js';

export interface CheckOptions {
  /** null / undefined pass (the column is nullable). */
  nullable?: boolean;
}

/**
 * Domain rules checked on a built row before any SQL runs; each failure throws
 * {@link FactoryValidationError} naming the factory, the field and the value.
 */
export class Checker<Row extends object> {
  readonly #factory: string;
  readonly #row: Partial<Row>;
  readonly #seed: number | undefined;

  constructor(factory: string, row: Partial<Row>, seed?: number) {
    this.#factory = factory;
    this.#row = row;
    this.#seed = seed;
  }

  value(field: keyof Row & string): unknown {
    return this.#row[field];
  }

  fail(field: keyof Row & string, rule: string): never {
    throw new FactoryValidationError(this.#factory, field, this.#row[field], rule, this.#seed);
  }

  /** Passes when `ok`; otherwise fails on `field` with `rule` (e.g. "must be >= open"). */
  rule(field: keyof Row & string, ok: boolean, rule: string): this {
    if (!ok) this.fail(field, rule);
    return this;
  }

  #skip(field: keyof Row & string, options?: CheckOptions): boolean {
    const value = this.#row[field];
    if (value !== null && value !== undefined) return false;
    if (options?.nullable) return true;
    return this.fail(field, 'is required');
  }

  required(field: keyof Row & string): this {
    this.#skip(field);
    return this;
  }

  oneOf(field: keyof Row & string, allowed: readonly unknown[], options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    return this.rule(field, allowed.includes(this.#row[field]), `must be one of ${allowed.join(', ')}`);
  }

  #number(field: keyof Row & string): string | number | bigint {
    const value = this.#row[field];
    if (!isDecimal(value)) this.fail(field, 'must be a number');
    return value;
  }

  positive(field: keyof Row & string, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    return this.rule(field, compare(this.#number(field), 0) > 0, 'must be > 0');
  }

  nonNegative(field: keyof Row & string, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    return this.rule(field, compare(this.#number(field), 0) >= 0, 'must be >= 0');
  }

  between(field: keyof Row & string, min: number, max: number, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    const value = this.#number(field);
    return this.rule(field, compare(value, min) >= 0 && compare(value, max) <= 0, `must be within [${min}, ${max}]`);
  }

  /** `field` <= the value of `other` (decimal comparison). */
  notAbove(field: keyof Row & string, other: keyof Row & string, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    const bound = this.#row[other];
    if (bound === null || bound === undefined) return this;
    return this.rule(field, compare(this.#number(field), this.#number(other)) <= 0, `must be <= ${other}`);
  }

  /** `field` >= the value of `other` (decimal comparison). */
  notBelow(field: keyof Row & string, other: keyof Row & string, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    const bound = this.#row[other];
    if (bound === null || bound === undefined) return this;
    return this.rule(field, compare(this.#number(field), this.#number(other)) >= 0, `must be >= ${other}`);
  }

  length(field: keyof Row & string, length: number, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    const value = this.#row[field];
    return this.rule(field, Array.isArray(value) && value.length === length, `must have length ${length}`);
  }

  date(field: keyof Row & string, options?: CheckOptions): this {
    if (this.#skip(field, options)) return this;
    const value = this.#row[field];
    return this.rule(field, value instanceof Date && !Number.isNaN(value.getTime()), 'must be a valid Date');
  }
}
