export { BUILD_FORMAT } from './build-format.js';
export { envFlag } from './flags.js';
export { type Log, type LogPhase, logger, timed } from './log.js';
export { KIT_VERSION, PACKAGE_ROOT } from './package-root.js';
export { currentRunId } from './run-id.js';
export { kitStateDir } from './state-dir.js';
