import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/cli/doctor.js';
import { engineNotes, hostOutcome, MIN_NODE, versionAtLeast } from '../../src/cli/doctor-hints.js';
import { DEFAULT_IMAGE, listContainers } from '../../src/index.js';
import { restoreEnvAfterEach } from '../support/env.js';
import { serverUrl } from '../support/server.js';
import { cli, tempProject } from './support.js';

const root = join(import.meta.dirname, '..', '..');
const migrations = join(root, 'fixtures', 'migrations');
restoreEnvAfterEach('DOCKER_HOST', 'TIMESCALE_TESTKIT_URL');

async function doctorJson(argv: string[], cwd: string): Promise<{ code: number; ok: boolean; checks: CheckResult[] }> {
  const { code, out } = await cli(['doctor', '--json', ...argv], { cwd });
  const report = JSON.parse(out) as { ok: boolean; checks: CheckResult[] };
  return { code, ...report };
}

const byName = (checks: CheckResult[]) => Object.fromEntries(checks.map((check) => [check.name, check]));

describe('timescale-testkit doctor', () => {
  it('passes every check on this machine, in order, and leaves no container behind', async () => {
    delete process.env.TIMESCALE_TESTKIT_URL;
    await using project = await tempProject({ migrations });
    const report = await doctorJson([], project.dir);
    expect(report.checks.map((check) => check.name)).toEqual([
      'node',
      'docker',
      'host',
      'ryuk',
      'image',
      'container',
      'extensions',
      'edition',
      'config',
      'url',
    ]);
    const failed = report.checks.filter((check) => check.status === 'fail');
    expect(failed).toEqual([]);
    expect(report).toMatchObject({ code: 0, ok: true });
    const checks = byName(report.checks);
    expect(checks.url?.status).toBe('skip');
    expect(report.checks.filter((check) => check.status === 'skip')).toHaveLength(1);
    expect(checks.extensions?.detail).toMatch(/^timescaledb \d+\.\d+\.\d+, vector \d+\.\d+\.\d+ can be created$/);
    expect(checks.edition?.detail).toMatch(/TimescaleDB \d+\.\d+\.\d+ \((Apache|Community) edition\)/);
    expect(checks.config?.detail).toMatch(
      /^timescale-testkit\.config\.json; migrations .*fixtures\/migrations: plain, 4 migration\(s\), hash [0-9a-f]{12}$/,
    );
    expect(checks.image?.detail).toContain(process.env.TIMESCALE_TESTKIT_IMAGE ?? DEFAULT_IMAGE);
    expect((await listContainers()).filter((c) => c.runId === `doctor-${process.pid}`)).toEqual([]);
  });

  it('an unreachable DOCKER_HOST: ✗ with the fix within 2 s, the container checks skipped, exit 1', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    await using project = await tempProject({ migrations });
    const { code, out } = await cli(['doctor'], { cwd: project.dir });
    expect(code).toBe(1);
    expect(out).toMatch(/^✗ Docker engine +Docker is not reachable through DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1 /m);
    expect(out).toMatch(/^ {2}fix: start the engine .*set DOCKER_HOST to a reachable one/m);
    expect(out).toMatch(/^– container starts +no Docker engine$/m);
    expect(out).toMatch(/^✓ config and migrations /m);
    expect(out.split('\n').at(-1)).toBe('1 check(s) failed: Docker engine');
    const report = await doctorJson([], project.dir);
    const docker = byName(report.checks).docker;
    expect(docker?.status).toBe('fail');
    expect(docker?.ms).toBeLessThan(2_000);
    expect(report.ok).toBe(false);
  });

  it('an image that is neither present nor pullable: ✗ naming it, with the fix', async () => {
    delete process.env.TIMESCALE_TESTKIT_URL;
    await using project = await tempProject({ migrations });
    const missing = 'timescale-testkit/no-such-image:0';
    const { code, out } = await cli(['doctor', '--image', missing], { cwd: project.dir });
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`^✗ image +${missing} is not present locally and cannot be pulled: `, 'm'));
    expect(out).toContain(`fix: pull it where a registry is reachable (\`docker pull ${missing}\`)`);
    expect(out).toContain(DEFAULT_IMAGE);
    expect(out).toMatch(/^– container starts +the image is not available locally$/m);
  });

  it('an external server: checked instead of a container, with what the guard thinks of its host', async () => {
    process.env.TIMESCALE_TESTKIT_URL = serverUrl();
    await using project = await tempProject({ migrations: './nowhere' });
    const report = await doctorJson([], project.dir);
    const checks = byName(report.checks);
    for (const name of ['docker', 'host', 'ryuk', 'image', 'container'])
      expect(checks[name]?.status, name).toBe('skip');
    expect(checks.extensions?.status).toBe('pass');
    expect(checks.edition?.status).toBe('pass');
    const host = new URL(serverUrl()).hostname;
    expect(checks.url?.detail).toContain(`${host} answers; the guard treats ${host} as safe`);
    expect(checks.config).toMatchObject({ status: 'fail', detail: expect.stringContaining('nowhere does not exist') });
    expect(report.code).toBe(1);

    process.env.TIMESCALE_TESTKIT_URL = 'postgres://nobody:x@127.0.0.1:1/none';
    const down = byName((await doctorJson([], project.dir)).checks);
    expect(down.url).toMatchObject({ status: 'fail', detail: expect.stringContaining('ECONNREFUSED') });
    expect(down.extensions?.status).toBe('fail');
  });
});

describe('doctor hints', () => {
  it('spots the bridge-gateway trap: /.dockerenv, and the gateway is an address of this machine', () => {
    expect(hostOutcome('172.17.0.1', true, ['127.0.0.1', '172.17.0.1'], undefined)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('TESTCONTAINERS_HOST_OVERRIDE=localhost'),
    });
    expect(hostOutcome('172.17.0.1', true, ['127.0.0.1'], undefined).status).toBe('pass');
    expect(hostOutcome('localhost', false, [], undefined).detail).toContain('no /.dockerenv');
    expect(hostOutcome('localhost', true, ['172.17.0.1'], 'localhost').detail).toContain(
      'TESTCONTAINERS_HOST_OVERRIDE=localhost',
    );
  });

  it('the doctor asks for the Node version package.json asks for', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE.replace(/\.0$/, '')}`);
  });

  it('names Podman, Colima and rootless engines, and compares versions', () => {
    expect(engineNotes('unix:///run/user/1000/podman/podman.sock').join('\n')).toMatch(/Podman[\s\S]*rootless/);
    expect(engineNotes('unix:///Users/me/.colima/default/docker.sock')[0]).toContain('Colima');
    expect(engineNotes('unix:///var/run/docker.sock')).toEqual([]);
    expect([versionAtLeast('22.22.0', '22.22.0'), versionAtLeast('v24.1.0', '22.22.0')]).toEqual([true, true]);
    expect([versionAtLeast('22.21.9', '22.22.0'), versionAtLeast('20.19.0', '22.22.0')]).toEqual([false, false]);
  });
});
