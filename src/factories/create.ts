import { buildRow, missingParents, type Request, toRequest } from './build.js';
import { insertRows } from './bulk.js';
import { tableInfo } from './columns.js';
import type { FactoryContext } from './context.js';
import type { Attrs, Definition } from './definition.js';
import type { Executor, QueryFunction } from './queryable.js';
import type { CreateContext } from './types.js';
import { Checker } from './validation.js';

export interface CreateRowsOptions {
  batchSize?: number;
  /** false: no RETURNING, the result is the row count (hooks still force rows). */
  returning: boolean;
}

function queryFunction(executor: Executor): QueryFunction {
  return { query: async (text, values) => ({ rows: await executor.query(text, values) }) };
}

/**
 * Creates rows level by level: for every association, the parents still missing are created
 * in one batch first (recursively), then this level goes in one statement per batch.
 */
export async function createRows(
  definition: Definition,
  context: FactoryContext,
  requests: readonly Request[],
  options: CreateRowsOptions,
): Promise<Attrs[] | number> {
  const executor = context.executor(definition.name);
  const table = await tableInfo(executor, definition.table);
  const parents = requests.map((request) => new Map(request.parents));
  for (const [name, association] of definition.associations) {
    const needing = requests.flatMap((request, index) =>
      missingParents(definition, request).includes(name) ? [index] : [],
    );
    if (needing.length === 0) continue;
    const parentDefinition = association.factory().definition;
    const created = (await createRows(
      parentDefinition,
      context,
      needing.map(() => toRequest(parentDefinition, {}, [], {})),
      { returning: true, ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) },
    )) as Attrs[];
    for (const [offset, index] of needing.entries()) parents[index]?.set(name, created[offset] ?? null);
  }
  const built = requests.map((request, index) =>
    buildRow(definition, context, { ...request, parents: parents[index] ?? request.parents }, table),
  );
  const hooked = definition.afterCreate !== undefined || built.some((row) => row.traits.some((t) => t.afterCreate));
  const insert = {
    factory: definition.name,
    seed: context.seed,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  };
  const attrs = built.map((row) => row.attrs);
  if (!options.returning && !hooked) return insertRows(executor, table, attrs, { ...insert, returning: false });
  const rows = await insertRows(executor, table, attrs, { ...insert, returning: true });
  if (hooked) {
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

/** Validates ready rows (no defaults, traits or parents) and inserts them in batches. */
export async function insertReady(
  definition: Definition,
  context: FactoryContext,
  rows: readonly Attrs[],
  options: CreateRowsOptions & { validate: boolean },
): Promise<Attrs[] | number> {
  const executor = context.executor(definition.name);
  const table = await tableInfo(executor, definition.table);
  const validate = definition.validate;
  if (validate && options.validate) {
    const build = {
      ...hookBase(definition, context),
      vectorDimension: (key: string) => table.byKey.get(key)?.dimension,
    };
    for (const row of rows) validate(new Checker(definition.name, row, context.seed), row, build);
  }
  const insert = {
    factory: definition.name,
    seed: context.seed,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  };
  return options.returning
    ? insertRows(executor, table, rows, { ...insert, returning: true })
    : insertRows(executor, table, rows, { ...insert, returning: false });
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
