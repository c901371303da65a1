import { atRow, type BuiltRow, buildList, missingParents, type Request, toRequest } from './build.js';
import { DEFAULT_BATCH_SIZE, insertRows } from './bulk.js';
import { tableInfo } from './catalog.js';
import type { TableInfo } from './columns.js';
import { checkCopyThreshold, type FactoryContext } from './context.js';
import type { Attrs, Definition } from './definition.js';
import type { Executor, QueryRunner } from './queryable.js';
import type { CreateContext } from './types.js';
import { Checker } from './validation.js';
import { checkValues } from './values.js';

export interface CreateRowsOptions {
  batchSize?: number;
  /** Default the context's. */
  copyThreshold?: number;
  /** false: no RETURNING, the result is the row count (hooks still force rows). */
  returning: boolean;
  /** The requests are a list the caller gave: errors name the index of the failing row. */
  list?: boolean;
}

function queryFunction(executor: Executor): QueryRunner {
  return { query: async (text, values) => ({ rows: await executor.query(text, values) }) };
}

/**
 * Creates rows, all or nothing. Every override is checked against the table's column types
 * before anything is written. Missing parents are created first, level by level (one batch per
 * association, recursively); then this level goes in one statement per batch. Whatever takes
 * more than one statement (parents, several batches, rows of different shapes, afterCreate
 * hooks) runs in one transaction on one connection.
 */
export async function createRows(
  definition: Definition,
  context: FactoryContext,
  requests: readonly Request[],
  options: CreateRowsOptions,
): Promise<Attrs[] | number> {
  const table = await tableInfo(context.executor(definition.name), definition.table);
  const list = options.list === true;
  requests.forEach((request, index) => {
    checkValues(definition.name, request.columns, table, context.seed, list ? index : undefined);
  });
  if (requests.some((request) => missingParents(definition, request).length > 0)) {
    return context.transaction((bound) => createLevel(definition, bound, table, requests, options), definition.name);
  }
  const built = buildList(definition, context, requests, list, table);
  if (
    !hooked(definition, built) &&
    oneStatement(
      built.map((row) => row.attrs),
      options.batchSize,
    )
  ) {
    return insertBuilt(definition, context, table, built, options);
  }
  return context.transaction((bound) => insertBuilt(definition, bound, table, built, options), definition.name);
}

/** Parents first (one batch per association), then this level; inside the caller's transaction. */
async function createLevel(
  definition: Definition,
  context: FactoryContext,
  table: TableInfo,
  requests: readonly Request[],
  options: CreateRowsOptions,
): Promise<Attrs[] | number> {
  const parents = requests.map((request) => new Map(request.parents));
  for (const [name, association] of definition.associations) {
    const needing = requests.flatMap((request, index) =>
      missingParents(definition, request).includes(name) ? [index] : [],
    );
    if (needing.length === 0) continue;
    const parentDefinition = association.factory().definition;
    const parentTable = await tableInfo(context.executor(parentDefinition.name), parentDefinition.table);
    const created = (await createLevel(
      parentDefinition,
      context,
      parentTable,
      needing.map(() => toRequest(parentDefinition, {}, [], {})),
      {
        returning: true,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.copyThreshold === undefined ? {} : { copyThreshold: options.copyThreshold }),
      },
    )) as Attrs[];
    for (const [offset, index] of needing.entries()) parents[index]?.set(name, created[offset] ?? null);
  }
  const withParents = requests.map((request, index) => ({ ...request, parents: parents[index] ?? request.parents }));
  const built = buildList(definition, context, withParents, options.list === true, table);
  return insertBuilt(definition, context, table, built, options);
}

function hooked(definition: Definition, built: readonly BuiltRow[]): boolean {
  return definition.afterCreate !== undefined || built.some((row) => row.traits.some((trait) => trait.afterCreate));
}

/** Whether the rows go in a single statement (atomic by themselves): one batch, one shape. */
function oneStatement(rows: readonly Attrs[], batchSize = DEFAULT_BATCH_SIZE): boolean {
  if (rows.length > Math.max(1, batchSize)) return false;
  const first = rows[0];
  if (first === undefined) return true;
  const given = definedKeys(first, first);
  // the same columns given (not undefined) as the first row; for...in allocates nothing per row
  for (const row of rows) if (definedKeys(row, first) !== given) return false;
  return true;
}

/** How many keys `row` gives a value; -1 when one of them is not given by `like`. */
function definedKeys(row: Attrs, like: Attrs): number {
  let count = 0;
  for (const key in row) {
    if (row[key] === undefined) continue;
    if (like[key] === undefined) return -1;
    count++;
  }
  return count;
}

async function insertBuilt(
  definition: Definition,
  context: FactoryContext,
  table: TableInfo,
  built: readonly BuiltRow[],
  options: CreateRowsOptions,
): Promise<Attrs[] | number> {
  const executor = context.executor(definition.name);
  const insert = {
    factory: definition.name,
    seed: context.seed,
    list: options.list === true,
    copyThreshold: threshold(definition, context, options),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  };
  const attrs = built.map((row) => row.attrs);
  const hooks = hooked(definition, built);
  if (!options.returning && !hooks) return insertRows(executor, table, attrs, { ...insert, returning: false });
  const rows = await insertRows(executor, table, attrs, { ...insert, returning: true });
  if (hooks) {
    const db = queryFunction(executor);
    for (const [index, row] of rows.entries()) {
      const source = built[index];
      if (!source) continue;
      const hookContext: CreateContext<Record<string, unknown>> = {
        ...source.context,
        db,
        use: (factory) => factory.bind(context),
      };
      await definition.afterCreate?.(row, hookContext);
      for (const trait of source.traits) await trait.afterCreate?.(row, hookContext);
    }
  }
  return options.returning ? rows : rows.length;
}

/**
 * Inserts ready rows (no defaults, traits or parents) in batches, all or nothing. Every value
 * and the factory's rules are checked first, unless `validate` is false (rows valid by
 * construction, the bulk path of series): then a refused value is found after the fact.
 */
export async function insertReady(
  definition: Definition,
  context: FactoryContext,
  rows: readonly Attrs[],
  options: CreateRowsOptions & { validate: boolean },
): Promise<Attrs[] | number> {
  const table = await tableInfo(context.executor(definition.name), definition.table);
  if (options.validate) {
    const { validate } = definition;
    const build = {
      ...hookBase(definition, context),
      vectorDimension: (key: string) => table.byKey.get(key)?.dimension,
    };
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index] as Attrs;
      checkValues(definition.name, row, table, context.seed, index);
      if (validate) atRow(index, () => validate(new Checker(definition.name, row, context.seed), row, build));
    }
  }
  const insert = (bound: FactoryContext): Promise<Attrs[] | number> => {
    const executor = bound.executor(definition.name);
    const common = {
      factory: definition.name,
      seed: context.seed,
      list: true,
      copyThreshold: threshold(definition, context, options),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    };
    return options.returning
      ? insertRows(executor, table, rows, { ...common, returning: true })
      : insertRows(executor, table, rows, { ...common, returning: false });
  };
  return oneStatement(rows, options.batchSize) ? insert(context) : context.transaction(insert, definition.name);
}

function threshold(definition: Definition, context: FactoryContext, options: CreateRowsOptions): number {
  return checkCopyThreshold(options.copyThreshold, definition.name) ?? context.copyThreshold;
}

function hookBase(definition: Definition, context: FactoryContext) {
  return {
    sequence: 0,
    faker: context.faker(definition),
    transient: definition.transient,
    seed: context.seed,
    refDate: context.refDate,
    factory: definition.name,
  };
}
