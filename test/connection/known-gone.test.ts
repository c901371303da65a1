import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { explainingLoss, forgetServerExit, recordServerExit, ServerGoneError } from '../../src/connection/index.js';

/** A run's server on a container of its own (a new id per test: records and memory stay apart). */
const refTo = (id: string) => ({
  serverUrl: 'postgres://test:pw@172.17.0.9:5432/test',
  container: { id, image: 'img' },
});
const refused = () => Object.assign(new Error('connect ECONNREFUSED 172.17.0.9:5432'), { code: 'ECONNREFUSED' });

describe('a server known to be gone', () => {
  it('fails later work at once, without trying it again', async () => {
    const id = randomBytes(32).toString('hex');
    onTestFinished(() => forgetServerExit(id));
    const ref = refTo(id);
    await recordServerExit({ server: '172.17.0.9:5432', containerId: id, image: 'img', exitCode: 137, logLines: [] });
    // the watcher's record is enough: the work is never started
    const work = vi.fn(() => Promise.reject(refused()));
    const first = await explainingLoss(ref, work).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ServerGoneError);
    expect((first as ServerGoneError).message).toContain(`container ${id.slice(0, 12)} (img) was killed`);
    expect(work).not.toHaveBeenCalled();
    await forgetServerExit(id);
    // and once met, remembered by this process without the record
    expect(await explainingLoss(ref, work).catch((e: unknown) => e)).toBe(first);
    expect(work).not.toHaveBeenCalled();
  });

  it('learns it from a lost connection the watcher explains', async () => {
    const id = randomBytes(32).toString('hex');
    onTestFinished(() => forgetServerExit(id));
    const ref = refTo(id);
    const work = vi.fn(async () => {
      await recordServerExit({ server: '172.17.0.9:5432', containerId: id, exitCode: 137, logLines: [] });
      throw refused();
    });
    const lost = await explainingLoss(ref, work).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(ServerGoneError);
    expect((lost as ServerGoneError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    await forgetServerExit(id);
    expect(await explainingLoss(ref, work).catch((e: unknown) => e)).toBe(lost);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs the work while the server is not known to be gone', async () => {
    const ref = refTo(randomBytes(32).toString('hex'));
    expect(await explainingLoss(ref, async () => 42)).toBe(42);
    const other = new Error('syntax error');
    expect(await explainingLoss(ref, () => Promise.reject(other)).catch((e: unknown) => e)).toBe(other);
  });
});
