// Types of chart.mjs, for the kit's own tests (test/bench).
export interface ChartBars {
  title: string;
  unit: string;
  rows: ReadonlyArray<{ label: string; value: number; note?: string }>;
}
export interface ChartGoal {
  label: string;
  ratio: number;
  target: number;
  targetLabel: string;
  met: boolean | null;
}
export function escapeXml(text: unknown): string;
export function clip(text: string, max: number): string;
export function logTicks(values: readonly number[]): number[];
export function logScale(ticks: readonly number[], from: number, to: number): (value: number) => number;
export function benchmarkChart(options: {
  title: string;
  subtitle?: string | readonly string[];
  bars?: ChartBars | undefined;
  goals?: { title: string; goals: readonly ChartGoal[] } | undefined;
}): string;
