import { en, Faker } from '@faker-js/faker';
import type { Definition } from './definition.js';
import { FactoryError } from './errors.js';
import { hash32 } from './naming.js';
import { type Executor, type Queryable, toExecutor } from './queryable.js';

/** Dates the factories generate are relative to this fixed instant, so a seed replays exactly. */
export const REFERENCE_DATE = new Date('2024-01-01T00:00:00.000Z');

export interface FactoryContextOptions {
  /** Seeds every factory's faker; default env TIMESCALE_TESTKIT_SEED, else random (see `seed`). */
  seed?: number;
  /** Default {@link REFERENCE_DATE}. */
  refDate?: Date;
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
  readonly #executor: Executor | undefined;
  readonly #sequences = new Map<Definition, number>();
  readonly #fakers = new Map<Definition, Faker>();

  constructor(db?: Queryable | Executor, options: FactoryContextOptions = {}) {
    this.seed = resolveSeed(options.seed);
    this.refDate = new Date((options.refDate ?? REFERENCE_DATE).getTime());
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

  nextSequence(definition: Definition): number {
    const next = (this.#sequences.get(definition) ?? 0) + 1;
    this.#sequences.set(definition, next);
    return next;
  }

  faker(definition: Definition): Faker {
    let faker = this.#fakers.get(definition);
    if (!faker) {
      faker = new Faker({ locale: en });
      faker.seed([this.seed, hash32(definition.name)]);
      faker.setDefaultRefDate(this.refDate);
      this.#fakers.set(definition, faker);
    }
    return faker;
  }

  /** Restarts every sequence at 1 and reseeds every faker: call it between tests. */
  resetSequences(): void {
    this.#sequences.clear();
    this.#fakers.clear();
  }

  /** Ends a pool opened for a connection string; a no-op for pools and clients you passed. */
  async end(): Promise<void> {
    await this.#executor?.end();
  }
}

function isExecutor(value: Queryable | Executor): value is Executor {
  return typeof value === 'object' && 'session' in value && 'key' in value && typeof value.session === 'function';
}

let shared: FactoryContext | undefined;

/** The context of factories used without `bind` / `createFactories`: build only. */
export function defaultContext(): FactoryContext {
  shared ??= new FactoryContext(undefined, { seed: resolveSeed() });
  return shared;
}
