import { describe, expect, inject, it } from 'vitest';
import type { CliIo } from '../../src/cli/index.js';
import { pruneContainerDatabases } from '../../src/cli/prune.js';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd() }, out, err };
}

describe('prune: a reused container that stops between listing and pruning', () => {
  it('is a note naming the container, and the prune goes on', async () => {
    const { io, err } = capture();
    const dropped = await pruneContainerDatabases(io, 'abcdef0123456789', 'postgres://test:x@127.0.0.1:1/test', 0, 0);
    expect(dropped).toBe(0);
    expect(err.join('\n')).toContain('note: skipped container abcdef012345: its server did not answer (ECONNREFUSED)');
  });

  it('any other failure is still a failure (a wrong password is not a vanished container)', async () => {
    const url = new URL(inject('serverUrl'));
    url.password = 'not-the-password';
    const { io } = capture();
    await expect(pruneContainerDatabases(io, 'abcdef0123456789', url.toString(), 0, 0)).rejects.toMatchObject({
      code: '28P01',
    });
  });
});
