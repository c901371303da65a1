// What a run measures: the full run (README numbers) or the smoke (one repetition, smallest
// sizes, so CI notices when the benchmark rots). `--only=clone,scale` runs a subset and,
// like the smoke, leaves README.md and results/latest.json alone.
import { DEFAULT_IMAGE } from '../../dist/index.js';

export const SCENARIOS = ['clone', 'between-tests', 'factories', 'setup', 'start', 'scale', 'headline'];

const FULL = {
  clone: { warmup: 3, rounds: 30 },
  betweenTests: { warmup: 5, rounds: 40 },
  factories: { warmup: 1, rounds: 5, candles: 100_000, rowByRow: 4_000, graphRounds: 10 },
  start: { coldRounds: 3, warmRounds: 5 },
  scale: { counts: [8, 32, 128], repetitions: { 8: 2, 32: 1, 128: 1 }, workers: 2 },
  setup: { workers: 5, rounds: 20 },
  // the reused runs three times each, in rotating order (one run of each moved its wall time
  // by a third from run to run); the cold runs once: 17 runs, about 8 minutes here
  headline: { files: 50, tests: 10, workers: 2, repetitions: 5 },
};

const SMOKE = {
  clone: { warmup: 1, rounds: 3 },
  betweenTests: { warmup: 1, rounds: 3 },
  factories: { warmup: 0, rounds: 1, candles: 10_000, rowByRow: 500, graphRounds: 1 },
  start: { coldRounds: 1, warmRounds: 1 },
  scale: { counts: [8], repetitions: { 8: 1 }, workers: 2 },
  setup: { workers: 1, rounds: 3 },
  headline: { files: 2, tests: 2, workers: 2, repetitions: 1 },
};

/** Reads argv (`--smoke`, `--only=a,b`) and the environment (`BENCH_SMOKE=1`, `BENCH_ONLY`). */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const smoke = argv.includes('--smoke') || /^(1|true|yes|on)$/i.test(env.BENCH_SMOKE ?? '');
  const onlyArg = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length) ?? env.BENCH_ONLY;
  const only = onlyArg ? onlyArg.split(',').map((name) => name.trim()) : SCENARIOS;
  const unknown = only.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  const complete = !smoke && only.length === SCENARIOS.length;
  return {
    smoke,
    only,
    /** Only a complete full run writes results/latest.json and the README's Performance section. */
    publish: complete,
    image: env.TIMESCALE_TESTKIT_IMAGE ?? DEFAULT_IMAGE,
    sizes: smoke ? SMOKE : FULL,
    command: smoke ? 'npm run bench -- --smoke' : 'npm run bench',
  };
}
