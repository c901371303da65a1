// Types of goals.mjs, for the kit's own tests (test/bench).
export type Direction = 'atLeast' | 'atMost';
/** A metric of a section: [section id, metric name]. */
export type MetricRef = readonly [string, string];

export interface RatioGoal {
  text: string;
  short?: string;
  actual: string;
  /** true met, false missed, null not measured in this run. */
  met: boolean | null;
  ratio: number;
  target: number;
  direction: Direction;
}
export interface PendingGoal {
  text: string;
  short?: string;
  pending: { value: readonly MetricRef[]; base: readonly MetricRef[]; direction: Direction; target: number };
}
export interface SectionLike {
  id: string;
  goals: ReadonlyArray<RatioGoal | PendingGoal>;
  metrics?: Readonly<Record<string, number>>;
}

export function meets(ratio: number, direction: Direction, target: number): boolean;
export function ratioGoal(options: {
  text: string;
  short?: string;
  ratio: number;
  target: number;
  direction?: Direction;
  detail?: string;
}): RatioGoal;
export function fasterGoal(options: {
  text: string;
  short?: string;
  slowMs: number;
  fastMs: number;
  target: number;
}): RatioGoal;
export function withinGoal(options: {
  text: string;
  short?: string;
  valueMs: number;
  baseMs: number;
  target: number;
}): RatioGoal;
export function pendingGoal(options: {
  text: string;
  short?: string;
  value: readonly MetricRef[];
  base: readonly MetricRef[];
  direction: Direction;
  target: number;
}): PendingGoal;
export function metricsOf(sections: readonly SectionLike[]): Map<string, number>;
export function resolveGoals<S extends SectionLike>(
  sections: readonly S[],
): Array<Omit<S, 'goals'> & { goals: RatioGoal[] }>;
export function targetLabel(goal: { direction: Direction; target: number }): string;
export function tally(goals: ReadonlyArray<{ met: boolean | null }>): {
  met: number;
  missed: number;
  unmeasured: number;
  measured: number;
};
