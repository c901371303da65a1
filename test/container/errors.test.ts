import { getContainerRuntimeClient } from 'testcontainers';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerUnavailableError, ExtensionMissingError, StartupTimeoutError, startTimescale } from '../../src/index.js';

const dockerHost = process.env.DOCKER_HOST;

afterEach(() => {
  if (dockerHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = dockerHost;
});

async function kitContainersOfRun(runId: string): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  return (await client.container.list())
    .filter((info) => info.Labels['org.timescale-testkit.run-id'] === runId)
    .map((info) => info.Id);
}

describe('errors', () => {
  it('throws DockerUnavailableError within 2 s for a socket that does not exist', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const started = performance.now();
    const error = await startTimescale().catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect(elapsed).toBeLessThan(2_000);
    const message = (error as DockerUnavailableError).message;
    expect(message).toContain('unix:///nonexistent/docker.sock');
    expect(message).toContain('TIMESCALE_TESTKIT_URL');
    expect((error as DockerUnavailableError).code).toBe('DOCKER_UNAVAILABLE');
  });

  it('refuses to fall back to another engine when DOCKER_HOST does not answer', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    const started = performance.now();
    const error = await startTimescale().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((error as DockerUnavailableError).dockerHost).toBe('tcp://127.0.0.1:1');
  });

  it('throws ExtensionMissingError naming the extension and the image, and removes the container', async () => {
    const runId = `ext-missing-${Date.now()}`;
    const error = await startTimescale({ extensions: ['vector', 'postgis'], runId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtensionMissingError);
    expect((error as ExtensionMissingError).extension).toBe('postgis');
    expect((error as ExtensionMissingError).message).toContain((error as ExtensionMissingError).image);
    expect(await kitContainersOfRun(runId)).toEqual([]);
  });

  it('carries the last log lines when the server never becomes ready', async () => {
    const runId = `startup-${Date.now()}`;
    const error = await startTimescale({
      settings: { shared_buffers: 'plenty' },
      // past the image's first-start init (which creates timescaledb, as the official image's does)
      startupTimeoutMs: 15_000,
      runId,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupTimeoutError);
    const logLines = (error as StartupTimeoutError).logLines;
    expect(logLines.join('\n')).toContain('shared_buffers');
    expect((error as StartupTimeoutError).message).toContain('shared_buffers');
    expect(await kitContainersOfRun(runId)).toEqual([]);
  });

  it('fails as soon as the container exits while starting, with its exit code and last log lines', async () => {
    const runId = `startup-exit-${Date.now()}`;
    // a timeout far beyond the test's: only an error raised on the exit can pass
    const error = await startTimescale({
      settings: { shared_buffers: 'plenty' },
      startupTimeoutMs: 600_000,
      runId,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupTimeoutError);
    const failure = error as StartupTimeoutError;
    expect(failure.exitCode).toBe(1);
    expect(failure.oomKilled).toBe(false);
    expect(failure.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(failure.message).toContain('exited while starting');
    expect(failure.logLines.join('\n')).toContain('invalid value for parameter "shared_buffers"');
    expect(await kitContainersOfRun(runId)).toEqual([]);
  }, 30_000);
});

describe('a DOCKER_HOST that does not answer after another engine did', () => {
  it('is refused rather than silently served by the engine testcontainers already knows', async () => {
    const db = await startTimescale({ extensions: [] });
    await db.stop();
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    const error = await startTimescale({ dockerTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toContain('only another engine did');
  });
});
