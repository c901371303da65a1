// Types of stats.mjs, for the kit's own tests (test/bench).
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  samples: number[];
}
export interface Goal {
  text: string;
  actual: string;
  met: boolean;
}
export function quantile(samples: readonly number[], q: number): number;
export function summarize(samples: readonly number[]): Summary;
export function speedup(slowMs: number, fastMs: number): number;
export function formatMs(ms: number): string;
export function formatRate(rowsPerSecond: number): string;
export function formatRatio(ratio: number): string;
export function goal(text: string, actual: string, met: unknown): Goal;
