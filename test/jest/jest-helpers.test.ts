import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDOVER_ENV } from '../../src/harness/index.js';
import globalSetup from '../../src/jest/global-setup.js';
import globalTeardown from '../../src/jest/global-teardown.js';
import { useTestDatabase } from '../../src/jest/index.js';
import { root } from '../support/build.js';
import { serverUrl } from '../support/server.js';

type Hook = () => Promise<void>;
const hookNames = ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const;

/** Stands in for jest's hook globals, so the helper's lifecycle can be driven step by step. */
function fakeJest(): Record<(typeof hookNames)[number], Hook[]> {
  const registered = { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] } as Record<
    (typeof hookNames)[number],
    Hook[]
  >;
  for (const name of hookNames) {
    (globalThis as Record<string, unknown>)[name] = (fn: Hook) => registered[name].push(fn);
  }
  return registered;
}

function removeFakeJest(): void {
  for (const name of hookNames) delete (globalThis as Record<string, unknown>)[name];
}

describe('jest helpers, driven in-process', () => {
  beforeAll(async () => {
    process.env.TIMESCALE_TESTKIT_URL = serverUrl();
    await globalSetup({ rootDir: root }, { globals: { timescaleTestkit: { migrations: './fixtures/migrations' } } });
  });
  afterAll(async () => {
    await globalTeardown();
    await globalTeardown();
    delete process.env.TIMESCALE_TESTKIT_URL;
    delete process.env[HANDOVER_ENV];
    removeFakeJest();
  });

  it('hands connection data to workers through the environment', () => {
    const handOver = JSON.parse(process.env[HANDOVER_ENV] ?? '{}');
    expect(handOver.serverUrl).toBe(serverUrl());
    expect(handOver.template).toMatch(/^tk_tpl_/);
    expect(handOver.isolation).toBe('transaction');
  });

  it('gives a file a clone and each test a rolled-back transaction', async () => {
    const hooks = fakeJest();
    const tk = useTestDatabase();
    expect(() => tk.db).toThrow(/only available inside a test/);
    await hooks.beforeAll[0]?.();
    await hooks.beforeEach[0]?.();
    await tk.db.query("INSERT INTO agent_status (name, type, status) VALUES ('j', 't', 'RUNNING')");
    expect((await tk.db.query('SELECT name FROM agent_status')).rows).toEqual([{ name: 'j' }]);
    await hooks.afterEach[0]?.();
    await hooks.beforeEach[0]?.();
    expect((await tk.db.query('SELECT name FROM agent_status')).rows).toEqual([]);
    await hooks.afterEach[0]?.();
    await hooks.afterAll[0]?.();
  });

  it('names what is missing outside jest or without the global setup', async () => {
    removeFakeJest();
    expect(() => useTestDatabase()).toThrow(/must be called inside a jest test file/);
    const saved = process.env[HANDOVER_ENV];
    delete process.env[HANDOVER_ENV];
    const hooks = fakeJest();
    useTestDatabase({ isolation: 'truncate' });
    await expect(hooks.beforeAll[0]?.()).rejects.toThrow(/global setup did not run: set preset: 'timescale-testkit'/);
    process.env[HANDOVER_ENV] = saved;
  });
});
