import type { SqlTarget } from '../connection/index.js';
import { atRow, buildRow, buildTree, toRequest } from './build.js';
import { defaultContext, FactoryContext, type FactoryContextOptions } from './context.js';
import { createRows, insertReady } from './create.js';
import { type Attrs, type Definition, normalize } from './definition.js';
import type { Executor } from './queryable.js';
import type {
  Association,
  BuildOptions,
  Built,
  CreateOptions,
  EmptyObject,
  FactoryConfig,
  FactorySpec,
  Overrides,
  TraitNameOf,
} from './types.js';

/** The bound view of a factory type: `Bound<typeof orderFactory>` is what `createFactories(db).order` is. */
export type Bound<F> = F extends Factory<infer Row, infer S, boolean> ? Factory<Row, S, true> : never;

/** Overrides for one row, or a function of the row's index in a list. */
export type ListOverrides<Row, S> = Overrides<Row, S> | ((index: number) => Overrides<Row, S>);

/**
 * A factory for one table. `build*` never touch the database; `create*` insert (in batches)
 * and return the rows as stored, and only compile on a bound factory (`Bound` = true): bind it
 * with `factory.bind(db)` or get it bound from `createFactories(db)`.
 *
 * @example
 * const widget = defineFactory<Widget>({ table: 'widgets', defaults: ({ sequence }) => ({ name: `w${sequence}` }) })
 * widget.build()                         // in memory
 * await widget.bind(db.pool).create()    // inserted; `widget.create()` is a type error
 */
export class Factory<Row extends object, S extends FactorySpec = EmptyObject, Bound extends boolean = false> {
  /** Type-level only: whether this view of the factory is bound to a database. */
  declare readonly bound: Bound;
  /** The erased definition (shared by every view of this factory). */
  readonly definition: Definition;
  readonly #context: FactoryContext | undefined;
  readonly #traits: readonly string[];

  constructor(definition: Definition, context?: FactoryContext, traits: readonly string[] = []) {
    this.definition = definition;
    this.#context = context;
    this.#traits = traits;
  }

  get name(): string {
    return this.definition.name;
  }

  get table(): string {
    return this.definition.table;
  }

  /** Every trait this factory defines. */
  get traitNames(): TraitNameOf<S>[] {
    return [...this.definition.traits.keys()] as TraitNameOf<S>[];
  }

  /** The context (database, seed, sequences) this factory is bound to, if any. */
  get context(): FactoryContext | undefined {
    return this.#context;
  }

  /** The same factory with traits applied to everything it builds: `order.with('limit', 'filled')`. */
  with(...traits: TraitNameOf<S>[]): Factory<Row, S, Bound> {
    return new Factory<Row, S, Bound>(this.definition, this.#context, [...this.#traits, ...traits]);
  }

  /** The same factory bound to a database (new context) or to an existing {@link FactoryContext}. */
  bind(target: SqlTarget | Executor | FactoryContext, options?: FactoryContextOptions): Factory<Row, S, true> {
    const context = target instanceof FactoryContext ? target : new FactoryContext(target, options);
    return new Factory<Row, S, true>(this.definition, context, this.#traits);
  }

  #ctx(): FactoryContext {
    return this.#context ?? defaultContext();
  }

  #request(overrides: Overrides<Row, S> | undefined, options: BuildOptions<S> | undefined) {
    const traits = [...this.#traits, ...(options?.traits ?? [])];
    return toRequest(this.definition, overrides as Attrs | undefined, traits, options?.transient as Attrs | undefined);
  }

  /** A row built in memory; parents are built too, nothing is inserted. */
  build(overrides?: Overrides<Row, S>, options?: BuildOptions<S>): Built<Row, S> {
    return buildTree(this.definition, this.#ctx(), this.#request(overrides, options)).attrs as Built<Row, S>;
  }

  buildList(count: number, overrides?: ListOverrides<Row, S>, options?: BuildOptions<S>): Built<Row, S>[] {
    return Array.from({ length: count }, (_, index) => atRow(index, () => this.build(pick(overrides, index), options)));
  }

  /** The attributes only: defaults, traits and overrides, without building or creating parents. */
  attributesFor(overrides?: Overrides<Row, S>, options?: BuildOptions<S>): Partial<Row> {
    return buildRow(this.definition, this.#ctx(), this.#request(overrides, options)).attrs as Partial<Row>;
  }

  /** Inserts one row (creating missing parents first) and returns it as the database stored it. */
  async create(this: Factory<Row, S, true>, overrides?: Overrides<Row, S>, options?: CreateOptions<S>): Promise<Row> {
    const [row] = (await createRows(this.definition, this.#ctx(), [this.#request(overrides, options)], {
      returning: true,
      ...sizes(options),
    })) as Row[];
    return row as Row;
  }

  /** Inserts `count` rows in one statement per batch (parents level by level) and returns them in order. */
  async createList(
    this: Factory<Row, S, true>,
    count: number,
    overrides?: ListOverrides<Row, S>,
    options?: CreateOptions<S>,
  ): Promise<Row[]> {
    const requests = Array.from({ length: count }, (_, index) => this.#request(pick(overrides, index), options));
    return (await createRows(this.definition, this.#ctx(), requests, {
      returning: true,
      list: true,
      ...sizes(options),
    })) as Row[];
  }

  /** Like createList without RETURNING (fastest): resolves to the number of rows inserted. */
  async insertList(
    this: Factory<Row, S, true>,
    count: number,
    overrides?: ListOverrides<Row, S>,
    options?: CreateOptions<S>,
  ): Promise<number> {
    const requests = Array.from({ length: count }, (_, index) => this.#request(pick(overrides, index), options));
    return (await createRows(this.definition, this.#ctx(), requests, {
      returning: false,
      list: true,
      ...sizes(options),
    })) as number;
  }

  /**
   * Inserts rows you built yourself (no defaults, traits or parents): they are validated like
   * built rows, then inserted in batches. The fast path for generated series.
   */
  insertMany(
    this: Factory<Row, S, true>,
    rows: readonly Overrides<Row, S>[],
    options: InsertManyOptions & { returning: false },
  ): Promise<number>;
  insertMany(
    this: Factory<Row, S, true>,
    rows: readonly Overrides<Row, S>[],
    options?: InsertManyOptions,
  ): Promise<Row[]>;
  async insertMany(
    this: Factory<Row, S, true>,
    rows: readonly Overrides<Row, S>[],
    options?: InsertManyOptions,
  ): Promise<Row[] | number> {
    const result = await insertReady(this.definition, this.#ctx(), rows as readonly Attrs[], {
      returning: options?.returning ?? true,
      validate: options?.validate ?? true,
      ...sizes(options),
    });
    return result as Row[] | number;
  }
}

export interface InsertManyOptions {
  batchSize?: number;
  /** Lists of at least this many rows are written with COPY (default: the factory set's, 500; Infinity: never). */
  copyThreshold?: number;
  /** Default true: return the stored rows; false: only the count (no RETURNING, fastest). */
  returning?: boolean;
  /** Default true. false skips the per-row rules, for generators whose rows are valid by construction. */
  validate?: boolean;
}

/** The batch size and COPY threshold given, and only those. */
function sizes(options: { batchSize?: number; copyThreshold?: number } | undefined) {
  return {
    ...(options?.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options?.copyThreshold === undefined ? {} : { copyThreshold: options.copyThreshold }),
  };
}

function pick<Row, S>(overrides: ListOverrides<Row, S> | undefined, index: number): Overrides<Row, S> | undefined {
  return typeof overrides === 'function' ? overrides(index) : overrides;
}

/**
 * Defines a factory for a table: defaults (a function of a seeded context), traits, transient
 * params, associations, derived columns, validation and hooks. See README "Factories".
 *
 * @example
 * ```ts
 * const widget = defineFactory<Widget, { traits: 'big'; generated: 'id' }>({
 *   table: 'widgets',
 *   defaults: ({ sequence, faker }) => ({ name: `widget-${sequence}`, size: faker.number.int(10) }),
 *   traits: { big: { attributes: { size: 100 } } },
 * })
 * const big = await widget.bind(db.pool).create({}, { traits: ['big'] })
 * ```
 */
export function defineFactory<Row extends object, S extends FactorySpec = EmptyObject>(
  config: FactoryConfig<Row, S>,
): Factory<Row, S> {
  return new Factory<Row, S>(normalize(config));
}

export interface BelongsToOptions<Row, Parent> {
  foreignKey: keyof Row & string;
  /** The parent's key, default `id`. */
  references?: keyof Parent & string;
  copy?: (parent: Parent) => Partial<Row>;
  /** Not created when absent (nullable foreign key). */
  optional?: boolean;
}

/**
 * An association to a parent factory: created (or built) first unless given.
 *
 * @example
 * ```ts
 * associations: { owner: belongsTo(() => ownerFactory, { foreignKey: 'ownerId' }) }
 * ```
 */
export function belongsTo<Row, Parent extends object, PS extends FactorySpec>(
  factory: () => Factory<Parent, PS, boolean>,
  options: BelongsToOptions<NoInfer<Row>, Parent>,
): Association<Row> {
  return {
    factory: factory as unknown as () => Factory<object, FactorySpec, boolean>,
    foreignKey: options.foreignKey,
    references: options.references ?? 'id',
    copy: options.copy as ((parent: Record<string, unknown>) => Partial<Row>) | undefined,
    optional: options.optional ?? false,
  };
}
