// Types of report.mjs, for the kit's own tests (test/bench).
import type { ChartBars } from './lib/chart.mjs';
import type { RatioGoal } from './lib/goals.mjs';

export interface Machine {
  host: { cpus: number; cpuModel: string; memoryGiB: number; os: string; node: string };
  server: { postgres: string; timescaledb: string; license?: string | null; pgvector: string };
  image: string;
}
export interface Run {
  date: string;
  command: string;
  smoke: boolean;
  machine?: Machine;
  loadAverageBefore: number;
  totalMs: number;
}
export interface Section {
  id: string;
  title: string;
  header: string[];
  rows: string[][];
  goals: RatioGoal[];
  notes: string[];
  metrics?: Record<string, number>;
  chart?: ChartBars;
  data?: unknown;
}
export const CHART: string;
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string;
export function mark(met: boolean | null): string;
export function goalCount(goals: ReadonlyArray<{ met: boolean | null }>): string;
export function describeMachine(machine: Machine): string;
export function printReport(run: Run, sections: readonly Section[]): void;
export function writeJson(path: string, run: Run, sections: readonly Section[]): Promise<void>;
export function readmeSection(run: Run, sections: readonly Section[]): string;
export function chartSvg(run: Run, sections: readonly Section[]): string;
export function writeChart(path: string, run: Run, sections: readonly Section[]): Promise<void>;
export function updateReadme(run: Run, sections: readonly Section[]): Promise<void>;
