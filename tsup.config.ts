import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'vitest/index': 'src/vitest/index.ts',
    'vitest/global-setup': 'src/vitest/global-setup.ts',
    'jest/index': 'src/jest/index.ts',
    'jest/global-setup': 'src/jest/global-setup.ts',
    'jest/global-teardown': 'src/jest/global-teardown.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  shims: true,
  sourcemap: true,
  target: 'node22',
  splitting: true,
});
