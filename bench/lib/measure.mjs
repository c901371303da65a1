// The measuring loop: every approach of a scenario runs in the same rounds, interleaved, so
// drift (caches, autovacuum, the other core's work) falls on all of them alike.
import { summarize } from './stats.mjs';

/**
 * Runs `approaches` ({ id, once }) `warmup` times (discarded), then `rounds` times. `once()`
 * does one measurement and resolves to its duration in ms; preparing state and cleaning up
 * after it stays outside the time it reports. Round r starts with approach r mod n.
 * Resolves to { [id]: summary } (see summarize).
 */
export async function compare(approaches, { warmup, rounds, onRound }) {
  const samples = Object.fromEntries(approaches.map((approach) => [approach.id, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let k = 0; k < approaches.length; k++) {
      const approach = approaches[(round + k) % approaches.length];
      const ms = await approach.once(round);
      if (round >= warmup) samples[approach.id].push(ms);
    }
    onRound?.(round - warmup);
  }
  return Object.fromEntries(Object.entries(samples).map(([id, values]) => [id, summarize(values)]));
}

/** Duration of `work()` in ms, and its result. */
export async function timed(work) {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Polls `check()` every `everyMs` until it is true or `timeoutMs` passed (then throws). */
export async function waitUntil(check, { everyMs = 5, timeoutMs = 30_000, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
