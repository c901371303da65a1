export { DockerUnavailableError, ExtensionMissingError, StartupTimeoutError } from './errors.js';
export {
  currentRunId,
  DEFAULT_EXTENSIONS,
  DEFAULT_IMAGE,
  DEFAULT_STARTUP_TIMEOUT_MS,
  type PoolSize,
  type ResolvedTimescaleOptions,
  resolveOptions,
  TEST_TUNING,
  type TimescaleOptions,
} from './options.js';
export {
  type KitContainer,
  listContainers,
  type PrunedContainer,
  type PruneOptions,
  pruneContainers,
} from './prune.js';
export { StartedTimescale, type StopOptions } from './started.js';
export { startTimescale, TimescaleContainer } from './timescale-container.js';
