import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { debugLog, timed } from '../../src/debug.js';
import { LockTimeoutError, withFileLock } from '../../src/file-lock.js';

describe('withFileLock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-lock-'));
    process.env.TIMESCALE_TESTKIT_STATE_DIR = dir;
  });
  afterAll(async () => {
    delete process.env.TIMESCALE_TESTKIT_STATE_DIR;
    await rm(dir, { recursive: true, force: true });
  });

  it('runs holders one at a time', async () => {
    const order: string[] = [];
    const hold = (name: string) =>
      withFileLock('serial', async () => {
        order.push(`${name}+`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push(`${name}-`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(order.join(' ')).toMatch(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/);
  });

  it('breaks a lock whose owner died', async () => {
    await mkdir(join(dir, 'orphan.lock'));
    await writeFile(join(dir, 'orphan.lock', 'pid'), '999999999');
    expect(await withFileLock('orphan', async () => 'taken')).toBe('taken');
  });

  it('gives up after its timeout while a live owner holds it', async () => {
    await mkdir(join(dir, 'held.lock'));
    await writeFile(join(dir, 'held.lock', 'pid'), String(process.pid));
    await expect(withFileLock('held', async () => 'never', { timeoutMs: 100 })).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
  });
});

describe('debug lines', () => {
  it('print only when DEBUG names the kit', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    delete process.env.DEBUG;
    debugLog('quiet');
    expect(write).not.toHaveBeenCalled();
    process.env.DEBUG = 'other,timescale-testkit';
    expect(await timed('phase', async () => 42)).toBe(42);
    expect(String(write.mock.calls[0]?.[0])).toMatch(/^timescale-testkit phase \d+\.\dms\n$/);
    process.env.DEBUG = '*';
    debugLog('all');
    expect(write).toHaveBeenCalledTimes(2);
    delete process.env.DEBUG;
    write.mockRestore();
  });
});
