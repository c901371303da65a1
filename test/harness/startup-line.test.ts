import { join } from 'node:path';
import { getContainerRuntimeClient } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/harness/index.js';
import { DEFAULT_IMAGE, ExtensionMissingError, startTimescale } from '../../src/index.js';
import { restoreEnvAfterEach } from '../support/env.js';
import { serverUrl } from '../support/server.js';

const root = join(import.meta.dirname, '..', '..');
const image = process.env.TIMESCALE_TESTKIT_IMAGE ?? DEFAULT_IMAGE;
restoreEnvAfterEach('TIMESCALE_TESTKIT_URL', 'TIMESCALE_TESTKIT_QUIET');

const VERSIONS = String.raw`PostgreSQL \d+\.\d+, TimescaleDB \d+\.\d+\.\d+ \((Apache|Community) edition\), pgvector \d+\.\d+\.\d+`;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('the startup line', () => {
  it('names the image, the versions, the edition and a new container; StartedTimescale has the same as data', async () => {
    const lines: string[] = [];
    const run = await prepareRun(root, { migrations: './fixtures/migrations' }, { log: (line) => lines.push(line) });
    try {
      const server = run.server;
      if (!server) throw new Error('expected a container');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^timescale-testkit: ${escaped(image)} \\(container [0-9a-f]{12}, new\\): ${VERSIONS}$`),
      );
      expect(lines[0]).toContain(server.id.slice(0, 12));
      expect(server.versions).toEqual({
        postgres: expect.stringMatching(/^\d+\.\d+$/),
        timescaledb: server.extensions.timescaledb,
        vector: server.extensions.vector,
      });
      expect(lines[0]).toContain(`PostgreSQL ${server.versions.postgres}, TimescaleDB ${server.versions.timescaledb}`);
      expect(lines[0]).toContain(`pgvector ${server.versions.vector}`);
      expect(['apache', 'community']).toContain(server.edition);
      expect(lines[0]).toContain(server.edition === 'apache' ? '(Apache edition)' : '(Community edition)');
      expect(server.encoding).toBe('UTF8');
    } finally {
      await run.teardown();
    }
  });

  it('says when the container was reused', async () => {
    const container = { reuse: true, settings: { application_name: `startup-line-${process.pid}` } };
    const first = await startTimescale(container);
    await first.stop(); // a reused container keeps running for the next run
    const lines: string[] = [];
    try {
      const run = await prepareRun(
        root,
        { migrations: './fixtures/migrations', container },
        { log: (line) => lines.push(line) },
      );
      await run.teardown();
      expect(run.server?.reused).toBe(true);
    } finally {
      const client = await getContainerRuntimeClient();
      const left = client.container.getById(first.id);
      await client.container.stop(left, { timeout: 0 });
      await client.container.remove(left, { removeVolumes: true });
    }
    expect(lines).toEqual([expect.stringMatching(new RegExp(`\\(container ${first.id.slice(0, 12)}, reused\\): `))]);
  });

  it('for an external server: its host, port and database instead of the image; quiet prints nothing', async () => {
    process.env.TIMESCALE_TESTKIT_URL = serverUrl();
    const url = new URL(serverUrl());
    const lines: string[] = [];
    const run = await prepareRun(root, { migrations: './fixtures/migrations' }, { log: (line) => lines.push(line) });
    await run.teardown();
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^timescale-testkit: external server ${escaped(`${url.hostname}:${url.port}${url.pathname}`)}: ${VERSIONS}$`,
        ),
      ),
    ]);
    process.env.TIMESCALE_TESTKIT_QUIET = '1';
    const quiet = await prepareRun(root, { migrations: './fixtures/migrations' }, { log: (line) => lines.push(line) });
    await quiet.teardown();
    expect(lines).toHaveLength(1);
    delete process.env.TIMESCALE_TESTKIT_QUIET;
    const inline = await prepareRun(
      root,
      { migrations: './fixtures/migrations', quiet: true },
      { log: (line) => lines.push(line) },
    );
    await inline.teardown();
    expect(lines).toHaveLength(1);
  });

  it('an external server without a wanted extension fails before any template, naming the server', async () => {
    process.env.TIMESCALE_TESTKIT_URL = serverUrl();
    const error = await prepareRun(root, {
      migrations: './fixtures/migrations',
      container: { extensions: ['timescaledb', 'no_such_extension'] },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtensionMissingError);
    expect((error as Error).message).toContain(`the server at ${new URL(serverUrl()).hostname}:`);
  });
});
