import type { SqlTarget } from '../connection/index.js';
import { forgetColumns } from './catalog.js';
import { DEFAULT_COPY_THRESHOLD } from './copy.js';
import type { Definition } from './definition.js';
import { FactoryError, FactoryInsertError, FactoryValidationError } from './errors.js';
import { type Faker, giveBackFakers, takeFaker } from './faker.js';
import { hash32 } from './naming.js';
import { type Executor, toExecutor } from './queryable.js';

/** Dates the factories generate are relative to this fixed instant, so a seed replays exactly. */
export const REFERENCE_DATE = new Date('2024-01-01T00:00:00.000Z');

export interface FactoryContextOptions {
  /** Seeds every factory's faker; default env TIMESCALE_TESTKIT_SEED, else random (see `seed`). */
  seed?: number;
  /** Default {@link REFERENCE_DATE}. */
  refDate?: Date;
  /**
   * Lists of at least this many rows are written with COPY instead of `INSERT ... unnest`
   * (default 500; `Infinity`: never, `0`: always). See README "Bulk".
   */
  copyThreshold?: number;
}

/** A COPY threshold option, checked: a number >= 0 (Infinity allowed). */
export function checkCopyThreshold(value: number | undefined, factory = 'factories'): number | undefined {
  if (value === undefined || (typeof value === 'number' && value >= 0)) return value;
  throw new FactoryValidationError(factory, 'copyThreshold', value, 'must be a number >= 0 (Infinity: never COPY)');
}

/** The seed to use: the option, else env `TIMESCALE_TESTKIT_SEED`, else a random 31-bit integer. */
export function resolveSeed(seed?: number): number {
  if (seed !== undefined) {
    if (!Number.isSafeInteger(seed))
      throw new FactoryError('FACTORY_SEED', 'factories', `seed must be an integer, got ${seed}`);
    return seed;
  }
  const fromEnv = process.env.TIMESCALE_TESTKIT_SEED;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const parsed = Number(fromEnv);
    if (!Number.isSafeInteger(parsed)) {
      throw new FactoryError('FACTORY_SEED', 'factories', `TIMESCALE_TESTKIT_SEED must be an integer, got ${fromEnv}`);
    }
    return parsed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * Shared state of factories bound together: one database, one seed, one sequence and one
 * seeded faker per factory. `resetSequences()` restarts both, so each test replays alone.
 */
export class FactoryContext {
  readonly seed: number;
  readonly refDate: Date;
  /** Rows from which a list is written with COPY. */
  readonly copyThreshold: number;
  readonly #executor: Executor | undefined;
  /** Shared with the contexts of this one's transactions. */
  #state = { sequences: new Map<Definition, number>(), fakers: new Map<Definition, Faker>() };

  constructor(db?: SqlTarget | Executor, options: FactoryContextOptions = {}) {
    this.seed = resolveSeed(options.seed);
    this.refDate = new Date((options.refDate ?? REFERENCE_DATE).getTime());
    this.copyThreshold = checkCopyThreshold(options.copyThreshold) ?? DEFAULT_COPY_THRESHOLD;
    this.#executor = db === undefined ? undefined : isExecutor(db) ? db : toExecutor(db);
  }

  get bound(): boolean {
    return this.#executor !== undefined;
  }

  executor(factory: string): Executor {
    if (!this.#executor) {
      throw new FactoryError(
        'FACTORY_UNBOUND',
        factory,
        'create needs a database: use createFactories(db) or factory.bind(db) (build() works without one)',
      );
    }
    return this.#executor;
  }

  /** Forget the tables' columns read so far for this database (after DDL, say). */
  forgetColumns(): void {
    if (this.#executor) forgetColumns(this.#executor.key);
  }

  nextSequence(definition: Definition): number {
    const next = (this.#state.sequences.get(definition) ?? 0) + 1;
    this.#state.sequences.set(definition, next);
    return next;
  }

  faker(definition: Definition): Faker {
    let faker = this.#state.fakers.get(definition);
    if (!faker) {
      faker = takeFaker();
      faker.seed([this.seed, hash32(definition.name)]);
      faker.setDefaultRefDate(this.refDate);
      this.#state.fakers.set(definition, faker);
    }
    return faker;
  }

  /** Restarts every sequence at 1 and reseeds every faker: call it between tests. */
  resetSequences(): void {
    this.#state.sequences.clear();
    this.release();
  }

  /**
   * Hands this context's fakers back, for contexts made later in the process to reuse (a test's
   * factories do when the test ends). Used again, the context seeds fakers anew, as after
   * {@link resetSequences}; a faker taken from it before must not be used after.
   */
  release(): void {
    giveBackFakers(this.#state.fakers.values());
    this.#state.fakers.clear();
  }

  /**
   * Runs `work` with a context on one connection inside a transaction (a savepoint when the
   * connection is already in one), with this context's seed, sequences and fakers: what `work`
   * creates is written all or nothing. `factory` names the caller in errors.
   */
  async transaction<T>(work: (context: FactoryContext) => Promise<T>, factory = 'factories'): Promise<T> {
    const executor = this.executor(factory);
    let committing = false;
    try {
      return await executor.transaction(async (session) => {
        const bound = new FactoryContext(session, {
          seed: this.seed,
          refDate: this.refDate,
          copyThreshold: this.copyThreshold,
        });
        bound.#state = this.#state;
        const result = await work(bound);
        committing = true;
        return result;
      });
    } catch (error) {
      // a deferred constraint refuses the rows at COMMIT
      if (!committing || error instanceof FactoryError) throw error;
      const table = (error as { table?: unknown }).table;
      throw new FactoryInsertError(factory, typeof table === 'string' ? table : 'the transaction', error, this.seed);
    }
  }

  /** Ends a pool opened for a connection string; a no-op for pools and clients you passed. */
  async end(): Promise<void> {
    await this.#executor?.end();
  }
}

function isExecutor(value: SqlTarget | Executor): value is Executor {
  return (
    typeof value === 'object' &&
    'key' in value &&
    'withConnection' in value &&
    typeof value.withConnection === 'function' &&
    'transaction' in value &&
    typeof value.transaction === 'function'
  );
}

let shared: FactoryContext | undefined;

/** The context of factories used without `bind` / `createFactories`: build only. */
export function defaultContext(): FactoryContext {
  shared ??= new FactoryContext(undefined, { seed: resolveSeed() });
  return shared;
}
