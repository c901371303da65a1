import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childVitestEnv, vitestReport } from '../support/build.js';
import { serverUrl } from '../support/server.js';

const CONFIG = 'test/misc/worker-load/vitest.config.ts';
const FAKER_ENGLISH = /\/@faker-js\/faker\/dist\/(?:locale\/)?en[-.]/;
const DEBUG_PACKAGE = /\/node_modules\/debug\//;

/** The modules a child run's worker loaded, in order, with the spec's marks between them; and what it printed. */
async function workerLoads(runId: string, extra: NodeJS.ProcessEnv = {}): Promise<{ loads: string[]; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tk-worker-load-'));
  try {
    const log = join(dir, 'loads.log');
    const env = childVitestEnv(serverUrl(), runId, { WORKER_LOAD_LOG: log, ...extra });
    const { code, stderr, tests } = await vitestReport(CONFIG, env);
    expect(code, stderr).toBe(0);
    expect(tests.map((test) => test.status)).toEqual(['passed']);
    return { loads: (await readFile(log, 'utf8')).split('\n').filter(Boolean), stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('what a test worker loads', () => {
  it('loads no debug package and no English locale data until something asks for them', async () => {
    const { loads } = await workerLoads('workerload', { DEBUG: '' });
    const written = loads.indexOf('MARK order written');
    expect(written).toBeGreaterThan(0);
    const beforeOrder = loads.slice(0, written);
    // the hook saw the worker's packages: faker's engine and pg are there
    expect(beforeOrder.some((url) => url.includes('/@faker-js/faker/'))).toBe(true);
    expect(beforeOrder.some((url) => url.includes('/node_modules/pg/'))).toBe(true);
    // an order needs no locale data (numbers, ids, choices), and nothing asked for debug lines
    expect(beforeOrder.filter((url) => FAKER_ENGLISH.test(url))).toEqual([]);
    expect(loads.filter((url) => DEBUG_PACKAGE.test(url))).toEqual([]);
    // a signal's reasoning is English words: the locale loads then, in the same test
    const afterOrder = loads.slice(written, loads.indexOf('MARK signal written'));
    expect(afterOrder.some((url) => FAKER_ENGLISH.test(url))).toBe(true);
  });

  it('loads the debug package when DEBUG names the kit, and prints its lines', async () => {
    const { loads, stderr } = await workerLoads('workerdebug', { DEBUG: 'timescale-testkit:isolation' });
    expect(loads.some((url) => DEBUG_PACKAGE.test(url))).toBe(true);
    // the worker's line: the clone it was handed
    expect(stderr).toMatch(/timescale-testkit:isolation clone \S+ handed out \d+\.\dms/);
  });
});
