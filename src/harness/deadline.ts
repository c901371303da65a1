/** A step of a cleanup, named for the note written when it outlasts its deadline. */
export type Step = readonly [name: string, run: () => Promise<unknown>];

/** What {@link stepsWithin} resolves to: done, or the step still running at the deadline. */
export type StepsOutcome = { readonly done: true } | { readonly done: false; readonly stuckAt: string };

/**
 * Runs `steps` in turn (the `finally` steps after them, whether they failed or not), and
 * resolves by `ms` at the latest: a cleanup that waits on a server that no longer answers must
 * not keep the test runner from exiting (vitest awaits its global teardown without a timeout).
 * A step's error is thrown, as the steps would have thrown it; past the deadline, the outcome
 * names the step still running and the rest go on in the background.
 */
export async function stepsWithin(
  ms: number,
  steps: readonly Step[],
  finallySteps: readonly Step[] = [],
): Promise<StepsOutcome> {
  let current = '';
  const run = async (list: readonly Step[]) => {
    for (const [name, step] of list) {
      current = name;
      await step();
    }
  };
  const all = (async (): Promise<StepsOutcome> => {
    try {
      await run(steps);
    } finally {
      await run(finallySteps);
    }
    return { done: true };
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<StepsOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ done: false, stuckAt: current }), ms);
    // the deadline alone never keeps the process alive
    timer.unref();
  });
  try {
    return await Promise.race([all, late]);
  } finally {
    clearTimeout(timer);
    // what is still running settles in the background, its error with nobody to hear it
    all.catch(() => undefined);
  }
}
