const NAMESPACE = 'timescale-testkit';

function enabled(): boolean {
  const setting = process.env.DEBUG;
  if (!setting) return false;
  return setting
    .split(/[\s,]+/)
    .some(
      (pattern) =>
        pattern === '*' || pattern === NAMESPACE || pattern === `${NAMESPACE}:*` || pattern === `${NAMESPACE}*`,
    );
}

/** Writes one line to stderr when `DEBUG=timescale-testkit` (or `*`) is set. */
export function debugLog(message: string): void {
  if (enabled()) process.stderr.write(`${NAMESPACE} ${message}\n`);
}

/** Runs `work`, then logs `phase` with its duration in milliseconds. */
export async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    debugLog(`${phase} ${(performance.now() - started).toFixed(1)}ms`);
  }
}
