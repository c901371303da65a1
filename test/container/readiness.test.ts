import { BoundPorts, getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerNotReady, ServerReadyWaitStrategy } from '../../src/container/readiness.js';
import { pruneContainers, type StartedTimescale, startTimescale } from '../../src/index.js';

describe('readiness', () => {
  let server: StartedTimescale;
  beforeAll(async () => {
    server = await startTimescale({ extensions: [] });
  });
  afterAll(async () => {
    await pruneContainers({ includeReused: true, ids: [server.id] });
  });

  it('is a query answered with the container’s credentials, checked from the host', async () => {
    const client = await getContainerRuntimeClient();
    const ports = new BoundPorts();
    ports.setBinding(5432, server.publishedPort);
    const credentials = { username: server.username, password: server.password, database: server.database };
    const strategy = new ServerReadyWaitStrategy(() => credentials).withStartupTimeout(5_000);
    expect(strategy.isStartupTimeoutSet()).toBe(true);
    expect(strategy.getStartupTimeout()).toBe(5_000);
    await strategy.waitUntilReady(client.container.getById(server.id), ports);
  });

  it('runs out of time with the container’s last log lines when no query is answered', async () => {
    const client = await getContainerRuntimeClient();
    const ports = new BoundPorts();
    ports.setBinding(5432, server.publishedPort);
    const wrong = { username: server.username, password: 'not-the-password', database: server.database };
    const error = await new ServerReadyWaitStrategy(() => wrong)
      .withStartupTimeout(1_000)
      .waitUntilReady(client.container.getById(server.id), ports)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerNotReady);
    const failure = error as ContainerNotReady;
    expect(failure.message).toBe(`no answer on port ${server.publishedPort} within 1000 ms`);
    expect(failure.exitCode).toBeUndefined();
    const log = failure.logLines.join('\n');
    // the newest lines: the refused attempts themselves (the start's lines may be older than the
    // last LOG_LINES_KEPT, behind the attempts and TimescaleDB's job messages)
    expect(log).toContain(`password authentication failed for user "${server.username}"`);
  });
});
