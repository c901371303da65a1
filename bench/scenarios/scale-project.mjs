// Writes the test projects of the scale scenario: `count` test files, one small database test
// each, in a project of their own, one project per approach:
//   kit       the kit's vitest global setup and `test` fixtures, from the built package
//             (installed by installKit into a node_modules folder above the projects: a copy,
//             not a link, so that vitest loads it as it loads an installed package)
//   baseline  hand-rolled testcontainers: the global setup starts one container per worker,
//             migrates it and takes a snapshot(); each file finds its worker's container
//             (withReuse()) and calls restoreSnapshot() — restoring resets a container's
//             database in place, so two workers cannot share one
// Each file appends, when its test starts, the time since the file was loaded (its database's
// setup as the file sees it) and the time its loading took since its worker process started
// (vitest isolates each file in a new process) to the file named by env BENCH_SCALE_LOG.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPOSITORY = join(import.meta.dirname, '..', '..');
const SNAPSHOT_MODULE = pathToFileURL(join(REPOSITORY, 'bench', 'lib', 'snapshot-container.mjs')).href;

const record = (file) =>
  `appendFileSync(process.env.BENCH_SCALE_LOG, \`\${JSON.stringify({ file: ${file}, loadMs: loadedAt, setupMs: performance.now() - loadedAt })}\\n\`);`;

const INSERT = (file) =>
  `"INSERT INTO agent_status (name, type, status) VALUES ('agent-${file}', 'technical', 'RUNNING')"`;

function kitTestFile(file) {
  return `import { appendFileSync } from 'node:fs';
import { expect, test } from 'timescale-testkit/vitest';

const loadedAt = performance.now();

test('file ${file} writes and reads its row', async ({ db }) => {
  ${record(file)}
  await db.query(${INSERT(file)});
  const { rows } = await db.query('SELECT count(*)::int AS n FROM agent_status');
  expect(rows[0].n).toBe(1);
});
`;
}

function baselineTestFile(file) {
  return `import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { workerContainer } from '../support.mjs';

const loadedAt = performance.now();
let pool;

beforeAll(async () => {
  const container = await workerContainer(inject('pgdata')).start();
  expect(container.getId()).toBe(inject('containers')[process.env.VITEST_POOL_ID]);
  await container.restoreSnapshot();
  pool = new pg.Pool({ connectionString: container.getConnectionUri(), max: 5 });
  await pool.query('SELECT 1');
});
afterAll(() => pool?.end());

test('file ${file} writes and reads its row', async () => {
  ${record(file)}
  await pool.query(${INSERT(file)});
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM agent_status');
  expect(rows[0].n).toBe(1);
});
`;
}

function baselineSupport({ image, runId }) {
  return `import { snapshotContainer } from '${SNAPSHOT_MODULE}';

/** The container of worker \`poolId\` (found again by withReuse() in every file of that worker). */
export function workerContainer(pgdata, poolId = process.env.VITEST_POOL_ID) {
  return snapshotContainer({ image: ${JSON.stringify(image)}, pgdata, runId: ${JSON.stringify(runId)}, database: \`worker_\${poolId}\` }).withReuse();
}
`;
}

function baselineGlobalSetup({ image, migrations }) {
  return `import { imageDataDirectory, migrateAndSnapshot } from '${SNAPSHOT_MODULE}';
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
        await migrateAndSnapshot(started, ${JSON.stringify(migrations)});
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('pgdata', pgdata);
  project.provide('containers', Object.fromEntries(containers.map((c) => [c.getDatabase().slice('worker_'.length), c.getId()])));
  return stop;
}
`;
}

function vitestConfig(approach, { migrations, workers }) {
  const test =
    approach === 'kit'
      ? {
          include: ['files/*.test.mjs'],
          globalSetup: ['timescale-testkit/vitest/global-setup'],
          maxWorkers: workers,
          provide: { timescaleTestkitOptions: { migrations } },
        }
      : { include: ['files/*.test.mjs'], globalSetup: ['./global-setup.mjs'], maxWorkers: workers };
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

/** Writes the project of `approach` with `count` files into `dir`; returns `dir`. */
export async function writeScaleProject(dir, approach, { count, image, migrations, runId, workers }) {
  await mkdir(join(dir, 'files'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  await writeFile(join(dir, 'vitest.config.mjs'), vitestConfig(approach, { migrations, workers }));
  if (approach === 'baseline') {
    await writeFile(join(dir, 'support.mjs'), baselineSupport({ image, runId }));
    await writeFile(join(dir, 'global-setup.mjs'), baselineGlobalSetup({ image, migrations }));
  }
  const body = approach === 'kit' ? kitTestFile : baselineTestFile;
  for (let file = 1; file <= count; file++) {
    await writeFile(join(dir, 'files', `file-${String(file).padStart(3, '0')}.test.mjs`), body(file));
  }
  return dir;
}
