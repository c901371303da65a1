// Writes the generated test projects of the scale and headline scenarios: `count` test files of
// `tests` database tests each, in a project of their own, one project per approach:
//   kit       the kit's vitest global setup and `test` fixtures, from the built package
//             (installed by installKit into a node_modules folder above the projects: a copy,
//             not a link, so that vitest loads it as it loads an installed package)
//   baseline  hand-rolled testcontainers: the global setup starts one container per worker,
//             migrates it and takes a snapshot(); each file finds its worker's container
//             (withReuse()) and calls restoreSnapshot() — restoring resets a container's
//             database in place, so two workers cannot share one. With `keep`, the containers
//             outlive the run and the next run only migrates where no snapshot exists yet
//             (testcontainers' own way of reusing a container across runs).
// What a test does (`body`):
//   row        one INSERT and a count (scale)
//   factories  an order (and its session) written, read back by id, and counted (headline):
//              the kit through its factories in a per-test transaction, so each test sees only
//              its own order; the baseline through hand-written INSERTs, its file's tests
//              sharing the file's restored database
// Each file appends one JSON line when its first test starts: the time since the file was
// loaded (its database's setup as the file sees it: `setupMs`), for the kit also when the `db`
// and `factories` fixtures were ready (`dbMs`, `factoriesMs`, from the same start), and how long
// loading took since its worker started (`loadMs`), to the file named by env BENCH_SCALE_LOG.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPOSITORY = join(import.meta.dirname, '..', '..');
const SNAPSHOT_MODULE = pathToFileURL(join(REPOSITORY, 'bench', 'lib', 'snapshot-container.mjs')).href;

const RECORD = `function record(marks) {
  if (recorded) return;
  recorded = true;
  const started = performance.now();
  const since = (at) => (at === undefined ? undefined : at - loadedAt);
  const line = { file: FILE, loadMs: loadedAt, setupMs: started - loadedAt, dbMs: since(marks?.db), factoriesMs: since(marks?.factories) };
  appendFileSync(process.env.BENCH_SCALE_LOG, \`\${JSON.stringify(line)}\\n\`);
}`;

const KIT_BODY = {
  row: {
    fixtures: '{ dbReady: db }',
    code: (
      file,
    ) => `await db.query("INSERT INTO agent_status (name, type, status) VALUES ('agent-${file}', 'technical', 'RUNNING')");
    const { rows } = await db.query('SELECT count(*)::int AS n FROM agent_status');
    expect(rows[0].n).toBe(1);`,
  },
  factories: {
    fixtures: '{ dbReady: db, factoriesReady: factories }',
    code: () => `const order = await factories.order.create({ status: 'NEW' });
    const { rows } = await db.query('SELECT status FROM orders WHERE id = $1', [order.id]);
    expect(rows[0].status).toBe('NEW');
    const { rows: all } = await db.query('SELECT count(*)::int AS n FROM orders');
    expect(all[0].n).toBe(1);`,
  },
};

const BASELINE_BODY = {
  row: (
    file,
  ) => `await pool.query("INSERT INTO agent_status (name, type, status) VALUES ('agent-${file}', 'technical', 'RUNNING')");
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM agent_status');
    expect(rows[0].n).toBe(1);`,
  factories: (
    _file,
    test,
  ) => `const session = await pool.query("INSERT INTO trading_sessions (mode, symbol, initial_capital) VALUES ('PAPER', 'BTCUSDT', 10000) RETURNING id");
    const order = await pool.query(
      "INSERT INTO orders (session_id, symbol, side, type, status, price, quantity) VALUES ($1, 'BTCUSDT', 'BUY', 'LIMIT', 'NEW', 43000, 0.3) RETURNING id",
      [session.rows[0].id],
    );
    const { rows } = await pool.query('SELECT status FROM orders WHERE id = $1', [order.rows[0].id]);
    expect(rows[0].status).toBe('NEW');
    const { rows: all } = await pool.query('SELECT count(*)::int AS n FROM orders');
    expect(all[0].n).toBe(${test});`,
};

const tests = (count, title, args, code) =>
  Array.from(
    { length: count },
    (_, i) => `test(${JSON.stringify(`${title} ${i + 1}`)}, async (${args}) => {
    record(marks);
    ${code(i + 1)}
  });`,
  ).join('\n\n');

function kitTestFile(file, { tests: count, body }) {
  const { fixtures, code } = KIT_BODY[body];
  return `import { appendFileSync } from 'node:fs';
import { expect, test as kitTest } from 'timescale-testkit/vitest';

const FILE = ${file};
const loadedAt = performance.now();
const marks = {};
let recorded = false;
// note when the kit's fixtures are ready: these depend on them, so they run right after them
const test = kitTest.extend({
  dbReady: async ({ db }, use) => {
    marks.db ??= performance.now();
    await use(db);
  },
  factoriesReady: async ({ dbReady, factories }, use) => {
    marks.factories ??= performance.now();
    await use(factories);
  },
});
${RECORD}

${tests(count, `file ${file} test`, fixtures, () => code(file))}
`;
}

function baselineTestFile(file, { tests: count, body }) {
  return `import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { workerContainer } from '../support.mjs';

const FILE = ${file};
const loadedAt = performance.now();
const marks = undefined;
let recorded = false;
let pool;
${RECORD}

beforeAll(async () => {
  const container = await workerContainer(inject('pgdata')).start();
  expect(container.getId()).toBe(inject('containers')[process.env.VITEST_POOL_ID]);
  await container.restoreSnapshot();
  pool = new pg.Pool({ connectionString: container.getConnectionUri(), max: 5 });
  await pool.query('SELECT 1');
});
afterAll(() => pool?.end());

${tests(count, `file ${file} test`, '', (test) => BASELINE_BODY[body](file, test))}
`;
}

/** The same files and tests with no database at all: what vitest itself costs (the floor). */
function plainTestFile(file, { tests: count }) {
  return `import { appendFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const FILE = ${file};
const loadedAt = performance.now();
const marks = undefined;
let recorded = false;
${RECORD}

${tests(count, `file ${file} test`, '', () => 'expect(FILE).toBe(FILE);')}
`;
}

function baselineSupport({ image, runId, database }) {
  return `import { snapshotContainer } from '${SNAPSHOT_MODULE}';

/** The container of worker \`poolId\` (found again by withReuse() in every file of that worker). */
export function workerContainer(pgdata, poolId = process.env.VITEST_POOL_ID) {
  return snapshotContainer({ image: ${JSON.stringify(image)}, pgdata, runId: ${JSON.stringify(runId)}, database: \`${database}_\${poolId}\` }).withReuse();
}
`;
}

function baselineGlobalSetup({ image, migrations, database, keep }) {
  return `import { hasSnapshot, imageDataDirectory, migrateAndSnapshot } from '${SNAPSHOT_MODULE}';
import { workerContainer } from './support.mjs';

export default async function setup(project) {
  const pgdata = await imageDataDirectory(${JSON.stringify(image)});
  const workers = Array.from({ length: project.config.maxWorkers }, (_, i) => String(i + 1));
  const containers = [];
  const stop = () => Promise.all(containers.map((c) => c.stop({ remove: true, removeVolumes: true, timeout: 0 })));
  try {
    await Promise.all(
      workers.map(async (poolId) => {
        const started = await workerContainer(pgdata, poolId).start();
        containers.push(started);
        ${keep ? 'if (!(await hasSnapshot(started))) ' : ''}await migrateAndSnapshot(started, ${JSON.stringify(migrations)});
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('pgdata', pgdata);
  project.provide('containers', Object.fromEntries(containers.map((c) => [c.getDatabase().slice(${JSON.stringify(`${database}_`)}.length), c.getId()])));
  return ${keep ? '() => undefined' : 'stop'};
}
`;
}

function vitestConfig(approach, { migrations, workers, settings, kit }) {
  const common = { include: ['files/*.test.mjs'], maxWorkers: workers, ...settings };
  const setups = {
    kit: {
      globalSetup: ['timescale-testkit/vitest/global-setup'],
      provide: { timescaleTestkitOptions: { migrations, ...kit } },
    },
    baseline: { globalSetup: ['./global-setup.mjs'] },
    plain: {},
  };
  const test = { ...common, ...setups[approach] };
  return `export default ${JSON.stringify({ test }, null, 2)};\n`;
}

/**
 * Puts the built package (package.json and dist/) into `root`/node_modules/timescale-testkit, as
 * `npm install` would. A path inside node_modules matters: vitest runs a linked package's
 * files through its transform pipeline but imports installed ones natively, as users get them.
 * Its own dependencies resolve from this repository's node_modules further up.
 */
export async function installKit(root) {
  const target = join(root, 'node_modules', 'timescale-testkit');
  await mkdir(target, { recursive: true });
  await cp(join(REPOSITORY, 'package.json'), join(target, 'package.json'));
  await cp(join(REPOSITORY, 'dist'), join(target, 'dist'), { recursive: true });
}

/** The name of test file number `file` (1-based) of a generated project. */
export function testFileName(file) {
  return `file-${String(file).padStart(3, '0')}.test.mjs`;
}

/**
 * Writes the project of `approach` ('kit', 'baseline', or 'plain': no database) with `count` files into `dir`; returns
 * `dir`. Options: `tests` per file (default 1), `body` ('row' or 'factories'), `settings`
 * (vitest `test` options, e.g. { isolate: false, pool: 'threads' }), `kit` (the kit's inline
 * options besides migrations, e.g. { reuse: true }), `keep` (baseline containers outlive the run)
 * and `database` (the baseline's database name prefix: containers of other projects with
 * another prefix are never found by withReuse()).
 */
export async function writeScaleProject(dir, approach, options) {
  const { count, image, migrations, runId, workers } = options;
  const shape = { tests: options.tests ?? 1, body: options.body ?? 'row' };
  const database = options.database ?? 'worker';
  const config = { migrations, workers, settings: options.settings ?? {}, kit: options.kit ?? {} };
  await mkdir(join(dir, 'files'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  await writeFile(join(dir, 'vitest.config.mjs'), vitestConfig(approach, config));
  if (approach === 'baseline') {
    await writeFile(join(dir, 'support.mjs'), baselineSupport({ image, runId, database }));
    const keep = options.keep ?? false;
    await writeFile(join(dir, 'global-setup.mjs'), baselineGlobalSetup({ image, migrations, database, keep }));
  }
  const body = { kit: kitTestFile, baseline: baselineTestFile, plain: plainTestFile }[approach];
  for (let file = 1; file <= count; file++) {
    await writeFile(join(dir, 'files', testFileName(file)), body(file, shape));
  }
  return dir;
}
