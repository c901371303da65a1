import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createDebug from 'debug';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LockTimeoutError, withFileLock } from '../../src/container/lock.js';

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

  it('breaks a lock its holder stopped refreshing (a crashed process)', async () => {
    await mkdir(join(dir, 'orphan.lock'));
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'orphan.lock'), old, old);
    expect(await withFileLock('orphan', async () => 'taken')).toBe('taken');
  });

  it('gives up after its timeout while a live holder keeps it', async () => {
    let release: () => void = () => undefined;
    const held = withFileLock('held', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await withFileLock('held', async () => 'never', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as Error).message).toContain(join(dir, 'held.lock'));
    release();
    await held;
  });
});

describe('debug lines', () => {
  it('print per phase, and DEBUG=timescale-testkit turns on every phase', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const previous = process.env.DEBUG;
    try {
      process.env.DEBUG = 'other,timescale-testkit';
      vi.resetModules();
      const { logger, timed } = await import('../../src/env/log.js');
      expect(await timed(logger('isolation'), 'phase', async () => 42)).toBe(42);
      expect(String(write.mock.calls.at(-1)?.[0])).toMatch(/timescale-testkit:isolation phase \d+\.\dms/);
      createDebug.enable('timescale-testkit:container');
      const calls = write.mock.calls.length;
      logger('isolation')('quiet');
      expect(write.mock.calls.length).toBe(calls);
      logger('container')('loud');
      expect(String(write.mock.calls.at(-1)?.[0])).toContain('timescale-testkit:container loud');
    } finally {
      createDebug.disable();
      if (previous === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = previous;
      write.mockRestore();
    }
  });
});
