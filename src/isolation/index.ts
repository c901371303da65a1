export { trustHost } from '../connection/index.js';
export { brokerClient } from './broker-client.js';
export { dropLeftoverClones, dropStaleTemplates } from './cleanup.js';
export { type BrokerAddress, CloneBroker } from './clone-broker.js';
export { ClientNotReleasedError, TestEndedError } from './ended.js';
export { CloneError, TransactionModeError, UnsafeDatabaseError } from './errors.js';
export { assertDisposable, isSafeHost, MARKER_PREFIX } from './marker.js';
export { brokerPrefix, cloneName, runPrefix, sharedPrefix, templateName } from './names.js';
export { beginTestTransaction, PinnedPool, type TestTransaction } from './pinned-pool.js';
export { SharedClonePool } from './shared-clones.js';
export { type AttachOptions, createTemplate, Template, type TemplateOptions } from './template.js';
export { TestDatabase } from './test-database.js';
export {
  FileClone,
  ISOLATION_MODES,
  type IsolatedDatabase,
  type IsolationMode,
  isolateTest,
  type TestIsolation,
} from './test-isolation.js';
export { forgetTables, LEDGER_TABLES, type TruncateOptions, type TruncateResult, truncateAll } from './truncate.js';
