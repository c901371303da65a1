import { defineConfig, type Options } from 'tsup';

// the library's entry points, built as ESM and CommonJS with types
const library = {
  index: 'src/index.ts',
  'domain/index': 'src/domain/index.ts',
  'vitest/index': 'src/vitest/index.ts',
  'vitest/global-setup': 'src/vitest/global-setup.ts',
  'jest/index': 'src/jest/index.ts',
  'jest/global-setup': 'src/jest/global-setup.ts',
  'jest/global-teardown': 'src/jest/global-teardown.ts',
  'jest/environment': 'src/jest/environment.ts',
  'node-test/index': 'src/node-test/index.ts',
  'node-test/global-setup': 'src/node-test/global-setup.ts',
};

const shared: Options = {
  entry: library,
  dts: { entry: library },
  // both builds write into dist/ at the same time: `npm run build` empties it first
  clean: false,
  shims: true,
  // node:test has no unprefixed name: keep every node: specifier as written
  removeNodeProtocol: false,
  sourcemap: true,
  target: 'node22',
  splitting: true,
  esbuildOptions(options, context) {
    options.define = { ...options.define, __TIMESCALE_TESTKIT_FORMAT__: JSON.stringify(context.format) };
  },
};

export default defineConfig([
  // the CLI (package `bin`) is ESM only and shares the library's chunks
  { ...shared, entry: { ...library, cli: 'src/cli.ts' }, format: 'esm' },
  // @faker-js/faker is ESM-only; jest's CommonJS test runtime cannot require() it, so the
  // CommonJS build carries its own copy (the English locale only, tree-shaken)
  { ...shared, format: 'cjs', noExternal: ['@faker-js/faker'] },
]);
