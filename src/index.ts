export {
  ConfigError,
  defineConfig,
  loadConfig,
  type ResolvedTestkitConfig,
  type TestkitConfig,
} from './config/index.js';
export { type ServerExit, ServerGoneError } from './connection/index.js';
export * from './container/index.js';
export * from './domain/index.js';
export { TimescaleTestkitError } from './errors.js';
export * from './factories/index.js';
export * from './isolation/index.js';
export * from './migrate/index.js';
