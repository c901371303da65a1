import type {
  AfterCreate,
  Association,
  AttributeFunction,
  BuildContext,
  FactoryConfig,
  FactorySpec,
  Trait,
} from './types.js';
import type { Checker } from './validation.js';

/** Untyped attributes: camelCase keys. */
export type Attrs = Record<string, unknown>;
type Transient = Record<string, unknown>;

export interface NormalizedTrait {
  readonly attributes: AttributeFunction<Attrs, Transient> | undefined;
  readonly transient: Transient;
  readonly afterCreate: AfterCreate<Attrs, Transient> | undefined;
}

/** The runtime shape of a factory definition (the typed config, erased). */
export interface Definition {
  readonly name: string;
  readonly table: string;
  readonly defaults: (context: BuildContext<Transient>) => Attrs;
  readonly traits: ReadonlyMap<string, NormalizedTrait>;
  readonly transient: Transient;
  readonly associations: ReadonlyMap<string, Association<Attrs>>;
  readonly derive: AttributeFunction<Attrs, Transient> | undefined;
  readonly validate: ((check: Checker<Attrs>, row: Attrs, context: BuildContext<Transient>) => void) | undefined;
  readonly afterBuild: ((row: Attrs, context: BuildContext<Transient>) => void) | undefined;
  readonly afterCreate: AfterCreate<Attrs, Transient> | undefined;
}

function normalizeTrait(trait: Trait<Attrs, Transient>): NormalizedTrait {
  if (typeof trait === 'function') return { attributes: trait, transient: {}, afterCreate: undefined };
  const { attributes } = trait;
  return {
    attributes: attributes === undefined || typeof attributes === 'function' ? attributes : () => attributes,
    transient: trait.transient ?? {},
    afterCreate: trait.afterCreate,
  };
}

export function normalize<Row extends object, S extends FactorySpec>(config: FactoryConfig<Row, S>): Definition {
  const erased = config as unknown as FactoryConfig<Attrs, { traits: string; associations: string }>;
  const traits = new Map<string, NormalizedTrait>();
  for (const [name, trait] of Object.entries(erased.traits ?? {})) traits.set(name, normalizeTrait(trait));
  return {
    name: erased.name ?? erased.table,
    table: erased.table,
    defaults: erased.defaults as Definition['defaults'],
    traits,
    transient: (erased.transient ?? {}) as Transient,
    associations: new Map(Object.entries(erased.associations ?? {})),
    derive: erased.derive as Definition['derive'],
    validate: erased.validate as Definition['validate'],
    afterBuild: erased.afterBuild as Definition['afterBuild'],
    afterCreate: erased.afterCreate as Definition['afterCreate'],
  };
}
