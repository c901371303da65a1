import type { Faker } from '@faker-js/faker';
import type { Factory } from './define.js';
import type { QueryRunner } from './queryable.js';
import type { Checker } from './validation.js';

export type EmptyObject = Record<never, never>;

/**
 * Optional type-level description of a factory, the second type argument of `defineFactory`:
 * `defineFactory<Widget, { traits: 'big' | 'red'; transient: { parts: number }; associations: 'owner'; generated: 'id' }>`.
 * Omitted members mean: any trait name (string), no transient params, no associations, and
 * every column given by the factory's defaults.
 */
export interface FactorySpec {
  traits?: string;
  transient?: object;
  associations?: string;
  generated?: PropertyKey;
}

export type TraitNameOf<S> = S extends { traits: infer T extends string } ? T : string;
export type TransientOf<S> = S extends { transient: infer T extends object } ? T : EmptyObject;
export type AssociationOf<S> = S extends { associations: infer A extends string } ? A : never;
export type GeneratedOf<Row, S> = S extends { generated: infer G } ? Extract<G, keyof Row> : never;

/** A built (not stored) row: everything but the columns the database generates. */
export type Built<Row, S> = [GeneratedOf<Row, S>] extends [never]
  ? Row
  : Omit<Row, GeneratedOf<Row, S>> & Partial<Pick<Row, GeneratedOf<Row, S>>>;

/** What `build` / `create` accept: any subset of the row, plus a parent object per association. */
export type Overrides<Row, S> = { [K in keyof Row]?: Row[K] } & { [K in AssociationOf<S>]?: object | null };

export interface BuildOptions<S> {
  traits?: readonly TraitNameOf<S>[];
  transient?: Partial<TransientOf<S>>;
}

export interface CreateOptions<S> extends BuildOptions<S> {
  /** Rows per INSERT statement (default 5,000). */
  batchSize?: number;
  /** Lists of at least this many rows are written with COPY (default: the factory set's, 500; Infinity: never). */
  copyThreshold?: number;
}

export interface BuildContext<Transient> {
  /** 1, 2, 3 ... per factory, reset by `resetSequences()`. */
  readonly sequence: number;
  /** Seeded per factory: the same seed gives the same values. */
  readonly faker: Faker;
  readonly transient: Transient;
  readonly seed: number;
  /** The fixed date that generated dates are relative to. */
  readonly refDate: Date;
  /** Factory name. */
  readonly factory: string;
  /** The declared dimension of a vector column, when the table's catalog is known (create). */
  vectorDimension(key: string): number | undefined;
}

export interface AttributeContext<Row, Transient> extends BuildContext<Transient> {
  /** Attributes so far (defaults, parents, overrides, earlier traits). */
  readonly attrs: Readonly<Partial<Row>>;
}

export type AttributeFunction<Row, Transient> = (context: AttributeContext<Row, Transient>) => Partial<Row>;

export interface CreateContext<Transient> extends BuildContext<Transient> {
  /** The database the row went to. */
  readonly db: QueryRunner;
  /** Another factory bound to the same database, seed and sequences. */
  use<R extends object, S extends FactorySpec>(factory: Factory<R, S, boolean>): Factory<R, S, true>;
}

export type AfterCreate<Row, Transient> = (row: Row, context: CreateContext<Transient>) => unknown;

export interface TraitObject<Row, Transient> {
  attributes?: Partial<Row> | AttributeFunction<Row, Transient>;
  transient?: Partial<Transient>;
  afterCreate?: AfterCreate<Row, Transient>;
}

/** A trait: attributes (function of the context) or an object with attributes, transient values and a hook. */
export type Trait<Row, Transient> = AttributeFunction<Row, Transient> | TraitObject<Row, Transient>;

export interface Association<Row> {
  /** The parent factory (a thunk, so factories can refer to each other in any order). */
  readonly factory: () => Factory<object, FactorySpec, boolean>;
  /** The column holding the parent's key. */
  readonly foreignKey: keyof Row & string;
  /** The parent's key, default `id`. */
  readonly references: string;
  /** Columns copied from the parent (e.g. a trade copies its order's side and symbol). */
  readonly copy: ((parent: Record<string, unknown>) => Partial<Row>) | undefined;
  /** Not created when absent: the foreign key stays null. */
  readonly optional: boolean;
}

export interface FactoryConfig<Row extends object, S extends FactorySpec> {
  /** Name in messages and for seeding; default the table name. */
  name?: string;
  /** Table, optionally schema-qualified (`audit.events`); resolved on the search_path. */
  table: string;
  defaults: (context: BuildContext<TransientOf<S>>) => Built<Row, S>;
  traits?: { [K in TraitNameOf<S>]: Trait<Row, TransientOf<S>> };
  transient?: TransientOf<S>;
  associations?: { [K in AssociationOf<S>]: Association<Row> };
  /** Derived columns, recomputed after traits and overrides (overrides still win). */
  derive?: AttributeFunction<Row, TransientOf<S>>;
  validate?: (check: Checker<Row>, row: Readonly<Built<Row, S>>, context: BuildContext<TransientOf<S>>) => void;
  /** Runs on every built row (build and create); mutate `row` in place. */
  afterBuild?: (row: Built<Row, S>, context: BuildContext<TransientOf<S>>) => void;
  afterCreate?: AfterCreate<Row, TransientOf<S>>;
}
