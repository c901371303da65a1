// Replaced by the bundler (tsup.config.ts `define`) with the format of each build.
declare const __TIMESCALE_TESTKIT_FORMAT__: 'esm' | 'cjs';

/** Which build runs: `esm` or `cjs` from dist/, `source` when the TypeScript runs as is (tests). */
export const BUILD_FORMAT: 'esm' | 'cjs' | 'source' =
  typeof __TIMESCALE_TESTKIT_FORMAT__ === 'undefined' ? 'source' : __TIMESCALE_TESTKIT_FORMAT__;
