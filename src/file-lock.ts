import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TimescaleTestkitError } from './errors.js';

export class LockTimeoutError extends TimescaleTestkitError {
  constructor(path: string, timeoutMs: number) {
    super('LOCK_TIMEOUT', `Could not take the lock ${path} within ${timeoutMs} ms; remove it if no run holds it.`);
  }
}

/** The kit's folder for cross-process state on this machine. */
export function kitStateDir(): string {
  return process.env.TIMESCALE_TESTKIT_STATE_DIR ?? join(tmpdir(), 'timescale-testkit');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(path: string, staleMs: number): Promise<boolean> {
  try {
    const owner = Number.parseInt(await readFile(join(path, 'pid'), 'utf8'), 10);
    if (Number.isInteger(owner) && !alive(owner)) return true;
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

/**
 * Runs `work` while holding a lock shared by every process on this machine (an atomic
 * `mkdir`). A lock whose owner died, or older than `staleMs`, is broken.
 */
export async function withFileLock<T>(
  name: string,
  work: () => Promise<T>,
  { timeoutMs = 120_000, staleMs = 120_000 }: { timeoutMs?: number; staleMs?: number } = {},
): Promise<T> {
  const dir = kitStateDir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
    try {
      await mkdir(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(path, staleMs)) {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(path, timeoutMs);
      await sleep(wait);
    }
  }
  try {
    await writeFile(join(path, 'pid'), String(process.pid));
    return await work();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}
