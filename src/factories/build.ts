import type { TableInfo } from './columns.js';
import type { FactoryContext } from './context.js';
import { DecimalInputError } from './decimal.js';
import type { Attrs, Definition, NormalizedTrait } from './definition.js';
import { FactoryError, FactoryValidationError } from './errors.js';
import type { BuildContext } from './types.js';
import { Checker } from './validation.js';
import { checkValues } from './values.js';

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
 * Overrides are checked before any of the factory's functions sees them, the finished row
 * before the factory's rules (against the table's column types when `table` is known).
 */
export function buildRow(
  definition: Definition,
  context: FactoryContext,
  request: Request,
  table?: TableInfo,
): BuiltRow {
  const { seed } = context;
  checkValues(definition.name, request.columns, table, seed);
  const traits = traitsOf(definition, request.traits, context);
  const transient: Transient = { ...definition.transient };
  for (const trait of traits) Object.assign(transient, trait.transient);
  Object.assign(transient, request.transient);
  const build: BuildContext<Transient> = {
    sequence: context.nextSequence(definition),
    faker: context.faker(definition),
    transient,
    seed,
    refDate: context.refDate,
    factory: definition.name,
    vectorDimension: (key) => table?.byKey.get(key)?.dimension,
  };
  const step = <T>(name: string, work: () => T): T => guarded(definition, request, seed, name, work);
  const attrs: Attrs = { ...step('defaults', () => definition.defaults(build)) };
  applyParents(definition, attrs, request.parents, seed);
  Object.assign(attrs, request.columns);
  traits.forEach((trait, index) => {
    const { attributes } = trait;
    if (!attributes) return;
    Object.assign(
      attrs,
      step(`trait "${request.traits[index]}"`, () => attributes({ ...build, attrs })),
      request.columns,
    );
  });
  const { derive, afterBuild, validate } = definition;
  if (derive)
    Object.assign(
      attrs,
      step('derive', () => derive({ ...build, attrs })),
      request.columns,
    );
  if (afterBuild) step('afterBuild', () => afterBuild(attrs, build));
  checkValues(definition.name, attrs, table, seed);
  if (validate) step('validate', () => validate(new Checker(definition.name, attrs, seed), attrs, build));
  if (table) checkVectors(definition, table, attrs, seed);
  return { attrs, context: build, traits };
}

/**
 * Runs one of the factory's own functions; what it throws on the values it was given becomes a
 * typed error: a value decimal arithmetic cannot read names the override it came from.
 */
export function guarded<T>(definition: Definition, request: Request, seed: number, step: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof FactoryError) throw error;
    if (error instanceof DecimalInputError) {
      const source = [...Object.entries(request.columns), ...Object.entries(request.transient)].find(([, value]) =>
        Object.is(value, error.input),
      );
      if (source) {
        const [field, value] = source;
        throw new FactoryValidationError(definition.name, field, value, 'must be a decimal number', seed);
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new FactoryError('FACTORY_BUILD', definition.name, `${step} threw: ${message}`, { cause: error, seed });
  }
}

/** Builds each request (the index of a list's failing row goes into its error). */
export function buildList(
  definition: Definition,
  context: FactoryContext,
  requests: readonly Request[],
  list: boolean,
  table?: TableInfo,
): BuiltRow[] {
  return requests.map((request, index) =>
    atRow(list ? index : undefined, () => buildRow(definition, context, request, table)),
  );
}

/** Runs `work`; a validation error it throws is about row `row` of a list (when given). */
export function atRow<T>(row: number | undefined, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (row !== undefined && error instanceof FactoryValidationError && error.row === undefined)
      throw error.forRow(row);
    throw error;
  }
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
