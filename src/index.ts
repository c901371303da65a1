export {
  ConfigError,
  defineConfig,
  loadConfig,
  type ResolvedTestkitConfig,
  type TestkitConfig,
} from './config/index.js';
export * from './container/index.js';
export { TimescaleTestkitError } from './errors.js';
export * from './isolation/index.js';
export * from './migrate/index.js';
