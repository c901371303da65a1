export {
  DEFAULT_POSTGRES,
  type ImageChoice,
  ImageChoiceError,
  LOCAL_IMAGE,
  officialImage,
  POSTGRES_MAJORS,
  type PostgresMajor,
  resolveImage,
  TIMESCALEDB_RELEASE,
} from '../image/index.js';
export { type EngineProbe, type ImageAvailability, probeEngine } from './docker.js';
export { DockerUnavailableError, ExtensionMissingError, PortTakenError, StartupTimeoutError } from './errors.js';
export { verifyExtensions } from './extensions.js';
export { LockTimeoutError } from './lock.js';
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
export type { RouteKind } from './route.js';
export {
  describeServer,
  type ServerInfo,
  serverSummary,
  type TimescaleEdition,
  versionsOf,
} from './server-info.js';
export { StartedTimescale, type StopOptions } from './started.js';
export { startTimescale, TimescaleContainer } from './timescale-container.js';
