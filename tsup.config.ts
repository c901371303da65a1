import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'vitest/index': 'src/vitest/index.ts',
    'vitest/global-setup': 'src/vitest/global-setup.ts',
    'jest/index': 'src/jest/index.ts',
    'jest/global-setup': 'src/jest/global-setup.ts',
    'jest/global-teardown': 'src/jest/global-teardown.ts',
  },
  dts: true,
  // both builds write into dist/ at the same time: `npm run build` empties it first
  clean: false,
  shims: true,
  sourcemap: true,
  target: 'node22',
  splitting: true,
  esbuildOptions(options, context) {
    options.define = { ...options.define, __TIMESCALE_TESTKIT_FORMAT__: JSON.stringify(context.format) };
  },
};

export default defineConfig([
  { ...shared, format: 'esm' },
  // @faker-js/faker is ESM-only; jest's CommonJS test runtime cannot require() it, so the
  // CommonJS build carries its own copy (the English locale only, tree-shaken)
  { ...shared, format: 'cjs', noExternal: ['@faker-js/faker'] },
]);
