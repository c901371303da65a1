import { describe, expect, it } from 'vitest';
import { stepsWithin } from '../../src/harness/deadline.js';

const never = () => new Promise<never>(() => undefined);

describe('stepsWithin: a cleanup bounded in time', () => {
  it('runs the steps in turn, then the finally steps, and says it is done', async () => {
    const order: string[] = [];
    const step = (name: string) => [name, async () => void order.push(name)] as const;
    expect(await stepsWithin(1_000, [step('a'), step('b')], [step('z')])).toEqual({ done: true });
    expect(order).toEqual(['a', 'b', 'z']);
  });

  it('resolves at the deadline with the step still running; the others wait their turn', async () => {
    const order: string[] = [];
    const started = performance.now();
    const outcome = await stepsWithin(
      150,
      [
        ['first', async () => void order.push('first')],
        ['waiting on the server', never],
        ['after', async () => void order.push('after')],
      ],
      [['finally', async () => void order.push('finally')]],
    );
    expect(outcome).toEqual({ done: false, stuckAt: 'waiting on the server' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(order).toEqual(['first']);
  });

  it("throws a step's error after running the finally steps", async () => {
    const order: string[] = [];
    const failing = stepsWithin(
      1_000,
      [
        [
          'failing',
          async () => {
            throw new Error('refused');
          },
        ],
        ['skipped', async () => void order.push('skipped')],
      ],
      [['finally', async () => void order.push('finally')]],
    );
    await expect(failing).rejects.toThrow('refused');
    expect(order).toEqual(['finally']);
  });

  it('names a finally step that outlasts the deadline', async () => {
    const outcome = await stepsWithin(100, [['quick', async () => undefined]], [['stopping the container', never]]);
    expect(outcome).toEqual({ done: false, stuckAt: 'stopping the container' });
  });
});
