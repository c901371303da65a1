import { createRequire } from 'node:module';
import type { Debug, Debugger } from 'debug';

/** The parts of a run a `DEBUG` namespace can pick: `DEBUG=timescale-testkit:container,timescale-testkit:isolation`. */
export type LogPhase = 'container' | 'connection' | 'isolation' | 'migrate' | 'factories' | 'harness' | 'cli';

const NAMESPACE = 'timescale-testkit';

let loaded: Debug | undefined;

/**
 * The `debug` package, loaded the first time a line is written while `DEBUG` names anything
 * (its own `enable()` sets `DEBUG` too): a test worker that nobody debugs does not pay for
 * loading it and its terminal probes.
 */
function debugPackage(): Debug {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('debug') as Debug;
    // `DEBUG=timescale-testkit` (the kit's name alone, as documented before the phases existed) turns on every phase
    const requested = process.env.DEBUG?.split(/[\s,]+/) ?? [];
    if (requested.includes(NAMESPACE) && !requested.includes(`${NAMESPACE}:*`)) {
      loaded.enable([...requested, `${NAMESPACE}:*`].join(','));
    }
  }
  return loaded;
}

/** A line writer for one phase, through the `debug` package (what testcontainers uses too). */
export type Log = (message: string) => void;

export function logger(phase: LogPhase): Log {
  let debug: Debugger | undefined;
  return (message) => {
    if (!debug) {
      if (!process.env.DEBUG) return;
      debug = debugPackage()(`${NAMESPACE}:${phase}`);
    }
    debug(message);
  };
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
