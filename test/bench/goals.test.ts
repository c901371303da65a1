import { describe, expect, it } from 'vitest';
import {
  fasterGoal,
  meets,
  metricsOf,
  pendingGoal,
  ratioGoal,
  resolveGoals,
  tally,
  targetLabel,
  withinGoal,
} from '../../bench/lib/goals.mjs';

describe('bench goals as ratios', () => {
  it('meets an atLeast goal at or above its target and an atMost goal at or below it', () => {
    expect([
      meets(3, 'atLeast', 3),
      meets(2.99, 'atLeast', 3),
      meets(5, 'atMost', 5),
      meets(5.01, 'atMost', 5),
    ]).toEqual([true, false, true, false]);
  });

  it('never meets a goal whose ratio could not be measured', () => {
    expect(meets(Number.NaN, 'atMost', 5)).toBe(false);
    expect(meets(Number.POSITIVE_INFINITY, 'atLeast', 3)).toBe(false);
  });

  it('refuses a goal without a usable direction or target', () => {
    expect(() => meets(1, 'above' as never, 3)).toThrow(/direction must be atLeast or atMost/);
    expect(() => ratioGoal({ text: 't', ratio: 1, target: 0 })).toThrow(/positive number/);
  });

  it('computes "times faster" as the slow median over the fast one, and shows both', () => {
    const g = fasterGoal({
      text: 'kit ≥ 3× the baseline',
      short: 'kit vs baseline',
      slowMs: 30_000,
      fastMs: 9_000,
      target: 3,
    });
    expect(g).toMatchObject({ met: true, target: 3, direction: 'atLeast', short: 'kit vs baseline' });
    expect(g.ratio).toBeCloseTo(3.333, 3);
    expect(g.actual).toBe('3.3× (9.00 s vs 30.0 s)');
  });

  it('keeps a cost within a multiple of a reference cost', () => {
    const g = withinGoal({ text: 'setup ≤ 5× claim', valueMs: 72, baseMs: 2.6, target: 5 });
    expect(g.met).toBe(false);
    expect(g.direction).toBe('atMost');
    expect(g.actual).toBe('28× (72.0 ms vs 2.60 ms)');
  });

  it('labels targets with their direction', () => {
    expect(targetLabel({ direction: 'atLeast', target: 1.5 })).toBe('≥ 1.5×');
    expect(targetLabel({ direction: 'atMost', target: 5 })).toBe('≤ 5×');
  });

  it('collects every section metric under section id and name', () => {
    const metrics = metricsOf([
      { id: 'clone', goals: [], metrics: { 'kit-claim': 2.6 } },
      { id: 'scale', goals: [] },
    ]);
    expect([...metrics]).toEqual([['clone.kit-claim', 2.6]]);
  });

  const setupGoal = pendingGoal({
    text: 'per-file setup ≤ 5× the claim',
    short: 'setup vs claim',
    value: [
      ['scale', 'kit-setup'],
      ['headline', 'kit-defaults-setup'],
    ],
    base: [
      ['clone', 'kit-claim'],
      ['setup', 'claim'],
    ],
    direction: 'atMost',
    target: 5,
  });

  it('resolves a goal between sections with the first metric the run measured', () => {
    const [setup] = resolveGoals([
      { id: 'setup', goals: [setupGoal], metrics: { claim: 5 } },
      { id: 'headline', goals: [], metrics: { 'kit-defaults-setup': 20 } },
      { id: 'clone', goals: [], metrics: { 'kit-claim': 2 } },
    ]);
    const goal = setup?.goals[0];
    expect(goal).toMatchObject({ ratio: 10, met: false, short: 'setup vs claim', target: 5, direction: 'atMost' });
    expect(goal?.actual).toBe('10× (20.0 ms (headline: kit-defaults-setup) vs 2.00 ms (clone: kit-claim))');
  });

  it('reports a goal between sections as not measured when the run left a side out', () => {
    const [setup] = resolveGoals([{ id: 'setup', goals: [setupGoal], metrics: { claim: 5 } }]);
    expect(setup?.goals[0]).toMatchObject({ met: null, target: 5 });
    expect(setup?.goals[0]?.actual).toBe(
      'not measured in this run (needs scale: kit-setup or headline: kit-defaults-setup)',
    );
  });

  it('leaves resolved goals as they are and counts met, missed and not measured', () => {
    const plain = ratioGoal({ text: 'a', ratio: 4, target: 3 });
    const [section] = resolveGoals([{ id: 'x', goals: [plain, setupGoal] }]);
    expect(section?.goals[0]).toBe(plain);
    const goals = [...(section?.goals ?? []), ratioGoal({ text: 'b', ratio: 1, target: 3 })];
    expect(tally(goals)).toEqual({ met: 1, missed: 1, unmeasured: 1, measured: 2 });
  });
});
