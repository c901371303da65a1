import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listContainers, pruneContainers } from '../../src/index.js';
import { ensureBuilt, root, run } from '../support/build.js';
import { tempProject } from './support.js';

const bin = join(root, 'dist', 'cli.js');

async function runBin(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('the built bin (dist/cli.js)', () => {
  it('prints help, and lists containers as JSON', async () => {
    await ensureBuilt();
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commands:');
    const status = await runBin(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(status.stdout))).toBe(true);
  });

  it('exits 1 with an error and a fix line when Docker is unreachable, 2 on a usage error', async () => {
    await ensureBuilt();
    const docker = await runBin(['status'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(docker.code).toBe(1);
    expect(docker.stdout).toBe('');
    expect(docker.stderr).toMatch(
      /^error: Docker is not reachable through DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1 \(.*\)\.?\n/,
    );
    expect(docker.stderr).toContain(
      'fix: start Docker, or set DOCKER_HOST to a reachable engine, or set TIMESCALE_TESTKIT_URL to use an existing server\n',
    );
    const usage = await runBin(['status', '--all']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('error: unknown option --all for status');
  });
});

describe('the built bin: up in the foreground', () => {
  it('stays up until SIGINT, then stops and removes its container and exits 0', async () => {
    await ensureBuilt();
    await using project = await tempProject();
    const child = spawn(process.execPath, [bin, 'up'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += String(chunk);
        if (stderr.includes('ready; press Ctrl-C')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited early (${code}):\n${stderr}`)));
    });
    const exited = once(child, 'exit');
    let id: string | undefined;
    try {
      await ready;
      id = /✓ started container ([0-9a-f]{12})/.exec(stderr)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stdout).toMatch(/^url {3}postgres:\/\/test:\w+@[\w.]+:\d+\/test\npsql {2}psql "postgres:/);
      expect(child.exitCode).toBeNull();
      child.kill('SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stderr).toMatch(new RegExp(`✓ stopped and removed container ${id} \\(`));
      expect((await listContainers()).some((c) => c.id.startsWith(id ?? '-'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      const leftover = (await listContainers()).filter((c) => id && c.id.startsWith(id)).map((c) => c.id);
      if (leftover.length > 0) await pruneContainers({ ids: leftover });
    }
  });
});
