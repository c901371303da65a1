import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { kitStateDir } from '../env/index.js';
import { TimescaleTestkitError } from '../errors/index.js';

export class LockTimeoutError extends TimescaleTestkitError {
  constructor(path: string, timeoutMs: number) {
    super(
      'LOCK_TIMEOUT',
      `Could not take the lock ${path} within ${timeoutMs} ms; another run holds it (a lock its holder stops ` +
        'refreshing is broken after 10 s).',
    );
  }
}

/** How long a lock whose holder stopped refreshing it (a crashed process) stands. */
const STALE_MS = 10_000;
const POLL_MS = 250;

/**
 * Runs `work` while holding a lock shared by every process on this machine (proper-lockfile: an
 * atomic `mkdir`, refreshed while held, broken once stale).
 */
export async function withFileLock<T>(
  name: string,
  work: () => Promise<T>,
  { timeoutMs = 120_000 }: { timeoutMs?: number } = {},
): Promise<T> {
  const dir = kitStateDir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: STALE_MS,
      retries: { retries: Math.ceil(timeoutMs / POLL_MS), factor: 1.5, minTimeout: 10, maxTimeout: POLL_MS },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new LockTimeoutError(`${path}.lock`, timeoutMs);
    throw error;
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
