import { randomBytes } from 'node:crypto';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchClusterName, focusContainers, runOnlyWhen } from '../../bench/lib/containers.mjs';
import { BENCH_LABEL } from '../../bench/lib/snapshot-container.mjs';
import { resolveImage } from '../../src/image/index.js';

const runId = `focus${randomBytes(4).toString('hex')}`;

/** A container that idles like a reused one of the headline: a baseline one (health-checked) or a kit one. */
function idle(kind: 'baseline' | 'kit'): GenericContainer {
  // the kit's reused containers are known by the cluster_name setting in their command
  const container = new GenericContainer(resolveImage())
    .withEntrypoint(['sh', '-c', 'exec sleep 600'])
    .withCommand(kind === 'kit' ? ['-c', `cluster_name=${benchClusterName(runId)}`] : []);
  if (kind === 'kit') return container;
  return container
    .withLabels({ [BENCH_LABEL]: runId })
    .withHealthCheck({ test: ['CMD', 'true'], interval: 250, timeout: 1_000, retries: 3, startPeriod: 0 });
}

async function states(): Promise<Record<string, string>> {
  const client = await getContainerRuntimeClient();
  const ids = new Map([
    [baseline.getId(), 'baseline'],
    [kit.getId(), 'kit'],
  ]);
  const found: Record<string, string> = {};
  for (const info of await client.container.list()) {
    const kind = ids.get(info.Id);
    if (kind) found[kind] = info.State;
  }
  return found;
}

let baseline: StartedTestContainer;
let kit: StartedTestContainer;

beforeAll(async () => {
  [baseline, kit] = await Promise.all([idle('baseline').start(), idle('kit').start()]);
}, 60_000);

afterAll(async () => {
  await focusContainers({ runId, approach: 'all' });
  await Promise.all([baseline?.stop({ timeout: 0 }), kit?.stop({ timeout: 0 })]);
});

describe('focusContainers: only the measured approach runs', () => {
  it('pauses the other approach, unpauses the measured one, and waits for its health check', async () => {
    await focusContainers({ runId, approach: 'kit' });
    expect(await states()).toEqual({ baseline: 'paused', kit: 'running' });

    await focusContainers({ runId, approach: 'baseline' });
    expect(await states()).toEqual({ baseline: 'running', kit: 'paused' });
    const client = await getContainerRuntimeClient();
    const inspected = await client.container.getById(baseline.getId()).inspect();
    expect(inspected.State.Health?.Status).toBe('healthy');

    await focusContainers({ runId, approach: 'none' });
    expect(await states()).toEqual({ baseline: 'paused', kit: 'paused' });

    await focusContainers({ runId, approach: 'all' });
    expect(await states()).toEqual({ baseline: 'running', kit: 'running' });
  }, 60_000);

  it('pauses one container while rows that do not use it are timed, and brings it back healthy', async () => {
    await runOnlyWhen(baseline.getId(), false);
    await runOnlyWhen(baseline.getId(), false);
    expect(await states()).toEqual({ baseline: 'paused', kit: 'running' });
    await runOnlyWhen(baseline.getId(), true);
    expect(await states()).toEqual({ baseline: 'running', kit: 'running' });
    const client = await getContainerRuntimeClient();
    const inspected = await client.container.getById(baseline.getId()).inspect();
    expect(inspected.State.Health?.Status).toBe('healthy');
  }, 60_000);

  it("leaves other runs' containers alone", async () => {
    await focusContainers({ runId: `${runId}other`, approach: 'none' });
    expect(await states()).toEqual({ baseline: 'running', kit: 'running' });
  });
});
