import { getContainerRuntimeClient } from 'testcontainers';
import { inject } from 'vitest';
import { expect, test } from '../../../src/vitest/index.js';

test('kills the run’s container', async ({ db }) => {
  const id = inject('timescaleTestkit').container?.id;
  expect(id).toBeDefined();
  const client = await getContainerRuntimeClient();
  await client.container.dockerode.getContainer(id as string).kill();
  await db.query('SELECT 1');
});

test('runs after the server died', async ({ db }) => {
  await db.query('SELECT 1');
});
