export {
  handOverFromEnv,
  type RunnerHooks,
  registerTestDatabase,
  type TestDatabaseHandle,
  type TestDatabaseOptions,
} from './hooks.js';
export { FileScope, type TestEnd, TestScope } from './lifecycle.js';
export {
  attachRun,
  HANDOVER_ENV,
  type HandOver,
  type PreparedRun,
  type PrepareOptions,
  prefetchClone,
  prepareRun,
} from './run.js';
