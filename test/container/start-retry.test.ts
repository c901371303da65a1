import { describe, expect, it } from 'vitest';
import { isPortTaken, START_ATTEMPTS, startRetrying } from '../../src/container/start-retry.js';
import { PortTakenError } from '../../src/index.js';

// What Docker answers when the host port it picked is held by another process (dockerode puts
// the engine's message in `message` and in `json.message`).
const userlandProxy = Object.assign(
  new Error(
    '(HTTP code 500) server error - driver failed programming external connectivity on endpoint quirky_lamport: Error starting userland proxy: listen tcp4 127.0.0.1:32771: bind: address already in use',
  ),
  { statusCode: 500 },
);
const allocated = Object.assign(new Error('(HTTP code 500) server error'), {
  json: { message: 'Bind for 127.0.0.1:32772 failed: port is already allocated' },
});

describe('a container start that Docker could not publish', () => {
  it('recognises both forms of the error, and nothing else', () => {
    expect(isPortTaken(userlandProxy)).toBe(true);
    expect(isPortTaken(allocated)).toBe(true);
    expect(isPortTaken(new Error('(HTTP code 404) no such image'))).toBe(false);
    expect(isPortTaken(undefined)).toBe(false);
  });

  it('is tried again on a new container, each failed one discarded, until it starts', async () => {
    const errors = [userlandProxy, allocated];
    const discarded: number[] = [];
    let starts = 0;
    const started = await startRetrying(
      async () => {
        starts++;
        const error = errors.shift();
        if (error) throw error;
        return 'running';
      },
      async (_error, attempt) => {
        discarded.push(attempt);
      },
    );
    expect(started).toBe('running');
    expect(starts).toBe(3);
    expect(discarded).toEqual([1, 2]);
  });

  it(`stops after ${START_ATTEMPTS} attempts, and never retries another failure`, async () => {
    let starts = 0;
    const discarded: number[] = [];
    const always = startRetrying(
      async () => {
        starts++;
        throw userlandProxy;
      },
      async (_error, attempt) => {
        discarded.push(attempt);
      },
    );
    await expect(always).rejects.toBe(userlandProxy);
    expect(starts).toBe(START_ATTEMPTS);
    // the last attempt's container is left to the caller, which removes it and reports the error
    expect(discarded).toEqual([1, 2]);

    starts = 0;
    const notReady = new Error('container not ready');
    await expect(
      startRetrying(
        async () => {
          starts++;
          throw notReady;
        },
        async () => undefined,
      ),
    ).rejects.toBe(notReady);
    expect(starts).toBe(1);
  });

  it('is reported as PortTakenError, naming the image, the attempts and the way out', () => {
    const error = new PortTakenError('timescale/timescaledb-ha:pg17', START_ATTEMPTS, userlandProxy);
    expect(error.code).toBe('PORT_TAKEN');
    expect(error.image).toBe('timescale/timescaledb-ha:pg17');
    expect(error.message).toMatch(/in 3 starts: .*address already in use/);
    expect(error.message).toMatch(/ip_local_reserved_ports/);
    expect(error.cause).toBe(userlandProxy);
  });
});
