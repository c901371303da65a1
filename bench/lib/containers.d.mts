// Types of containers.mjs, for the kit's own tests (test/bench).
export function benchClusterName(runId: string): string;
export function sweepContainers(options: { runId: string; reusedConfigHash?: string }): Promise<number>;
export function focusContainers(options: {
  runId: string;
  approach: 'kit' | 'baseline' | 'none' | 'all';
}): Promise<void>;
export function runOnlyWhen(id: string, running: boolean): Promise<void>;
