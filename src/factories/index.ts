export { DEFAULT_BATCH_SIZE, decodeRow, insertRows } from './bulk.js';
export { type CatalogShare, forgetColumns, namedCatalogs, shareCatalogs, tableInfo } from './catalog.js';
export type { ColumnInfo, ColumnKind, TableInfo } from './columns.js';
export {
  checkCopyThreshold,
  FactoryContext,
  type FactoryContextOptions,
  REFERENCE_DATE,
  resolveSeed,
} from './context.js';
export { DEFAULT_COPY_THRESHOLD } from './copy.js';
export { copyBatches } from './copy-batches.js';
export { type DecimalInput, decimal } from './decimal.js';
export {
  type BelongsToOptions,
  type Bound,
  belongsTo,
  defineFactory,
  Factory,
  type InsertManyOptions,
  type ListOverrides,
} from './define.js';
export type { Definition as FactoryDefinition } from './definition.js';
export { echoFor, NO_ECHO } from './echo.js';
export { FactoryError, FactoryInsertError, FactoryValidationError } from './errors.js';
export { newFaker } from './faker.js';
export {
  type LintCase,
  type LintFailure,
  type LintOptions,
  type LintReport,
  type LintTarget,
  lintFactoryList,
} from './lint.js';
export type { Executor, QueryRunner, RawRow } from './queryable.js';
export { toExecutor } from './queryable.js';
export type * from './types.js';
export { Checker, type CheckOptions } from './validation.js';
