export * from './container/index.js';
export { TimescaleTestkitError } from './errors.js';
export * from './migrate/index.js';
