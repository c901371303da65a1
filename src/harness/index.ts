export { FileScope, type TestEnd, TestScope } from './lifecycle.js';
export { attachRun, HANDOVER_ENV, type HandOver, type PreparedRun, prepareRun } from './run.js';
