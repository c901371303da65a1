import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import { listContainers, startTimescale } from '../../src/index.js';

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

describe('cli: container commands', () => {
  it('prints usage for --help and fails on no or unknown command', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('Commands:') });
    expect((await run()).code).toBe(1);
    const unknown = await run('launch');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('unknown command "launch"');
  });

  it('up starts a reusable container and prints its URL; status lists it', async () => {
    const up = await run('up');
    expect(up.code).toBe(0);
    const url = new URL(up.out.trim());
    expect(url.protocol).toBe('postgres:');
    const status = await run('status');
    expect(status.out).toContain('reuse');
    expect(status.out).toContain(`:${url.port}->5432`);
    const again = await run('up');
    expect(again.out.trim()).toBe(up.out.trim());
    const reused = await startTimescale({ reuse: true });
    expect(reused.reused).toBe(true);
    await reused.stop({ remove: true });
    expect((await listContainers()).some((c) => c.reuse && c.id === reused.id)).toBe(false);
  });

  it('prune removes only leftovers older than the bound', async () => {
    const young = await startTimescale({ runId: 'cli-prune', extensions: [] });
    try {
      const pruned = await run('prune', '--older-than-minutes', '60');
      expect(pruned.out).toMatch(/removed \d+ container\(s\)/);
      expect((await listContainers()).map((c) => c.id)).toContain(young.id);
    } finally {
      await young.stop();
    }
  });
});
