import { explainingLoss, type ServerRef } from '../connection/index.js';
import type { Factories } from '../domain/index.js';
import type { RawRow } from '../factories/index.js';
import { brokerClient, FileClone, type IsolatedDatabase, type IsolationMode, isolateTest } from '../isolation/index.js';
import { attachRun, type HandOver } from './run.js';

/** What a runner knows about a test when it ends. */
export interface TestEnd {
  name: string;
  failed: boolean;
}

function serverOf(handOver: HandOver): ServerRef {
  return { serverUrl: handOver.serverUrl, container: handOver.container };
}

/** The broker this process shares its template catalogs through (one run per process). */
let sharing: string | undefined;

/**
 * Loads the factories, sharing what they read of the template's catalog with the run's other
 * processes through its clone broker: a worker per test file reads it once per run.
 */
async function loadFactories(handOver: HandOver): Promise<typeof import('../domain/index.js')> {
  const [domain, { shareCatalogs }] = await Promise.all([
    import('../domain/index.js'),
    import('../factories/index.js'),
  ]);
  const broker = handOver.broker;
  const address = broker && `${broker.host}:${broker.port}`;
  if (broker && sharing !== address) {
    sharing = address;
    const client = brokerClient(broker);
    shareCatalogs({
      get: async (key) => {
        const rows = await client.catalog(key);
        return rows?.every((row) => typeof row === 'object' && row !== null) ? (rows as RawRow[]) : undefined;
      },
      put: (key, rows) => client.keepCatalog(key, [...rows]),
    });
  }
  return domain;
}

function report(line: string): void {
  console.error(`timescale-testkit: ${line}`);
}

/**
 * One test's isolation, the same for every runner: opened on the file's clone, ended whether
 * the test passed, failed or timed out (running statements cancelled, leaked clients taken
 * back, writes undone or the database kept), factories bound to it on first use and their seed
 * printed when it failed. A server that went away is a ServerGoneError.
 */
export class TestScope {
  #factories: Factories | undefined;

  constructor(
    private readonly handOver: HandOver,
    readonly db: IsolatedDatabase,
    private readonly finish: Awaited<ReturnType<typeof isolateTest>>['finish'],
  ) {}

  /** The trading-domain factories bound to this test's database (faker loads on first use). */
  async factories(): Promise<Factories> {
    if (!this.#factories) {
      const { createFactories } = await loadFactories(this.handOver);
      const seed = this.handOver.seed;
      this.#factories = createFactories(this.db, seed === undefined ? {} : { seed });
    }
    return this.#factories;
  }

  async end({ name, failed }: TestEnd): Promise<void> {
    if (failed && this.#factories) {
      const seed = this.#factories.seed;
      report(`factories seed of failed test "${name}": ${seed} (replay with TIMESCALE_TESTKIT_SEED=${seed})`);
    }
    const { kept, problem } = await explainingLoss(serverOf(this.handOver), () =>
      this.finish({ failed, keepFailed: this.handOver.keepFailed, test: name }),
    );
    // the test's statements are over: its fakers serve the next test's factories, seeded anew
    this.#factories?.context.release();
    if (kept) report(`kept the database of failed test "${name}": ${kept}`);
    if (problem) throw problem;
  }
}

/** A test file's clone of the run's template, and the tests on it. */
export class FileScope {
  readonly #handOver: HandOver;
  #file: FileClone | undefined;

  constructor(handOver: HandOver) {
    this.#handOver = handOver;
  }

  get isolation(): IsolationMode {
    return this.#handOver.isolation;
  }

  #database(): FileClone {
    this.#file ??= new FileClone(attachRun(this.#handOver));
    return this.#file;
  }

  /** Claims the file's clone now (it is otherwise claimed by the first test). */
  async ready(): Promise<void> {
    const file = this.#database();
    await explainingLoss(serverOf(this.#handOver), () => file.current);
  }

  async beginTest(mode: IsolationMode = this.#handOver.isolation): Promise<TestScope> {
    const file = this.#database();
    const isolation = await explainingLoss(serverOf(this.#handOver), () => isolateTest(file, mode));
    return new TestScope(this.#handOver, isolation.db, (outcome) => isolation.finish(outcome));
  }

  /** Hands the file's clone back to be dropped. */
  async end(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file) await explainingLoss(serverOf(this.#handOver), () => file.drop());
  }
}
