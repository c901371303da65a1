import type { TableInfo } from './columns.js';
import type { FactoryContext } from './context.js';
import type { Attrs, Definition, NormalizedTrait } from './definition.js';
import { FactoryError, FactoryValidationError } from './errors.js';
import type { BuildContext } from './types.js';
import { Checker } from './validation.js';

type Transient = Record<string, unknown>;

/** One row to build: column overrides, the parents already known, traits and transient params. */
export interface Request {
  readonly columns: Attrs;
  readonly parents: ReadonlyMap<string, Attrs | null>;
  readonly traits: readonly string[];
  readonly transient: Transient;
}

export interface BuiltRow {
  readonly attrs: Attrs;
  readonly context: BuildContext<Transient>;
  readonly traits: readonly NormalizedTrait[];
}

/** Splits user overrides into column values and association objects. */
export function toRequest(
  definition: Definition,
  overrides: Attrs | undefined,
  traits: readonly string[],
  transient: Transient | undefined,
): Request {
  const columns: Attrs = {};
  const parents = new Map<string, Attrs | null>();
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (definition.associations.has(key)) {
      if (value !== undefined) parents.set(key, value as Attrs | null);
    } else columns[key] = value;
  }
  return { columns, parents, traits, transient: transient ?? {} };
}

/** Associations this request still needs a parent for (neither an object nor a foreign key given). */
export function missingParents(definition: Definition, request: Request): string[] {
  const missing: string[] = [];
  for (const [name, association] of definition.associations) {
    if (association.optional || request.parents.has(name)) continue;
    if (request.columns[association.foreignKey] !== undefined) continue;
    missing.push(name);
  }
  return missing;
}

function traitsOf(definition: Definition, names: readonly string[], context: FactoryContext): NormalizedTrait[] {
  return names.map((name) => {
    const trait = definition.traits.get(name);
    if (!trait) {
      const known = [...definition.traits.keys()].join(', ') || 'none';
      throw new FactoryError('FACTORY_TRAIT', definition.name, `unknown trait "${name}" (traits: ${known})`, {
        seed: context.seed,
      });
    }
    return trait;
  });
}

function applyParents(definition: Definition, attrs: Attrs, parents: ReadonlyMap<string, Attrs | null>, seed: number) {
  for (const [name, association] of definition.associations) {
    if (!parents.has(name)) continue;
    const parent = parents.get(name);
    if (parent === null || parent === undefined) {
      attrs[association.foreignKey] = null;
      continue;
    }
    const key = parent[association.references];
    if (key === undefined || key === null) {
      throw new FactoryError(
        'FACTORY_ASSOCIATION',
        definition.name,
        `the ${name} given has no "${association.references}" to put in ${association.foreignKey}`,
        { seed },
      );
    }
    if (association.copy) Object.assign(attrs, association.copy(parent));
    attrs[association.foreignKey] = key;
  }
}

/**
 * The attribute pipeline: defaults -> parents (foreign key and copied columns) -> overrides ->
 * traits in order (overrides still win) -> derive -> afterBuild -> validation. No SQL.
 */
export function buildRow(
  definition: Definition,
  context: FactoryContext,
  request: Request,
  table?: TableInfo,
): BuiltRow {
  const traits = traitsOf(definition, request.traits, context);
  const transient: Transient = { ...definition.transient };
  for (const trait of traits) Object.assign(transient, trait.transient);
  Object.assign(transient, request.transient);
  const build: BuildContext<Transient> = {
    sequence: context.nextSequence(definition),
    faker: context.faker(definition),
    transient,
    seed: context.seed,
    refDate: context.refDate,
    factory: definition.name,
    vectorDimension: (key) => table?.byKey.get(key)?.dimension,
  };
  const attrs: Attrs = { ...definition.defaults(build) };
  applyParents(definition, attrs, request.parents, context.seed);
  Object.assign(attrs, request.columns);
  for (const trait of traits) {
    if (trait.attributes) Object.assign(attrs, trait.attributes({ ...build, attrs }), request.columns);
  }
  if (definition.derive) Object.assign(attrs, definition.derive({ ...build, attrs }), request.columns);
  definition.afterBuild?.(attrs, build);
  definition.validate?.(new Checker(definition.name, attrs, context.seed), attrs, build);
  if (table) checkVectors(definition, table, attrs, context.seed);
  return { attrs, context: build, traits };
}

function checkVectors(definition: Definition, table: TableInfo, attrs: Attrs, seed: number): void {
  for (const column of table.columns) {
    const value = attrs[column.key];
    if (column.dimension === undefined || !Array.isArray(value) || value.length === column.dimension) continue;
    throw new FactoryValidationError(
      definition.name,
      column.key,
      value,
      `must have ${column.dimension} dimensions (${table.table}.${column.name} is vector(${column.dimension}))`,
      seed,
    );
  }
}

/** Builds without a database: missing parents are built too (never inserted). */
export function buildTree(definition: Definition, context: FactoryContext, request: Request): BuiltRow {
  const missing = missingParents(definition, request);
  if (missing.length === 0) return buildRow(definition, context, request);
  const parents = new Map(request.parents);
  for (const name of missing) {
    const association = definition.associations.get(name);
    if (!association) continue;
    const parent = association.factory().definition;
    const built = buildTree(parent, context, toRequest(parent, {}, [], {})).attrs;
    // a parent whose key the database generates has none yet: keep the default foreign key
    if (built[association.references] != null) parents.set(name, built);
  }
  return buildRow(definition, context, { ...request, parents });
}
