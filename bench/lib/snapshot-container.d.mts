// Types of snapshot-container.mjs, for the kit's own tests (test/bench).
export const BENCH_LABEL: string;
