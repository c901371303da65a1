import createDebug from 'debug';

/** The parts of a run a `DEBUG` namespace can pick: `DEBUG=timescale-testkit:container,timescale-testkit:isolation`. */
export type LogPhase = 'container' | 'connection' | 'isolation' | 'migrate' | 'factories' | 'harness' | 'cli';

const NAMESPACE = 'timescale-testkit';

// `DEBUG=timescale-testkit` (the kit's name alone, as documented before the phases existed) turns on every phase
const requested = process.env.DEBUG?.split(/[\s,]+/) ?? [];
if (requested.includes(NAMESPACE) && !requested.includes(`${NAMESPACE}:*`)) {
  createDebug.enable([...requested, `${NAMESPACE}:*`].join(','));
}

/** A line writer for one phase, through the `debug` package (what testcontainers uses too). */
export type Log = (message: string) => void;

export function logger(phase: LogPhase): Log {
  const debug = createDebug(`${NAMESPACE}:${phase}`);
  return (message) => debug(message);
}

/** Runs `work`, then logs `label` with its duration in milliseconds. */
export async function timed<T>(log: Log, label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    log(`${label} ${(performance.now() - started).toFixed(1)}ms`);
  }
}
