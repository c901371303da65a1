// The hand-rolled baseline's container: testcontainers' PostgreSqlContainer with snapshot() /
// restoreSnapshot(), as its documentation shows it. No import of the kit, so the generated
// baseline test projects of the scale scenario use exactly this too.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/** Label on every non-kit container the benchmark starts; its value is the bench run id. */
export const BENCH_LABEL = 'org.timescale-testkit.bench-run';

/** The kit's test tuning (its TEST_TUNING): durability off, a test database never survives a crash anyway. */
const TUNING = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
/**
 * Without this, restoreSnapshot() fails now and then with SQLSTATE 55006 ("source database is
 * being accessed by other users"): TimescaleDB's scheduler connects to the snapshot database.
 * Turning the scheduler off is the usual fix of a hand-rolled setup (the kit seals its template).
 */
const NO_SCHEDULER = { 'timescaledb.max_background_workers': '0' };

/** The image's data directory (PGDATA), which the baseline containers put on tmpfs like the kit does. */
export async function imageDataDirectory(image) {
  const client = await getContainerRuntimeClient();
  const name = ImageName.fromString(image);
  if (!(await client.image.exists(name))) await client.image.pull(name);
  const inspected = await client.image.inspect(name);
  const entry = (inspected.Config?.Env ?? []).find((line) => line.startsWith('PGDATA='));
  return entry ? entry.slice('PGDATA='.length) : '/var/lib/postgresql/data';
}

/**
 * The hand-rolled baseline: testcontainers' PostgreSqlContainer as its documentation shows it,
 * with the kit's server settings (data directory on tmpfs, fsync off) so that the comparison is
 * of the approach, not of the server's tuning. Not started.
 */
export function snapshotContainer({ image, pgdata, runId, database = 'test' }) {
  const command = ['postgres'];
  for (const [key, value] of Object.entries({ ...TUNING, ...NO_SCHEDULER })) command.push('-c', `${key}=${value}`);
  return new PostgreSqlContainer(image)
    .withDatabase(database)
    .withTmpFs({ [pgdata]: 'rw' })
    .withEnvironment({ NO_TS_TUNE: 'true', TIMESCALEDB_TELEMETRY: 'off' })
    .withCommand(command)
    .withLabels({ [BENCH_LABEL]: runId });
}

/** The name testcontainers' snapshot() gives its snapshot database by default. */
const SNAPSHOT_NAME = 'migrated_template';

/** Whether the container's database was migrated and snapshotted by an earlier run (a reused container). */
export async function hasSnapshot(started) {
  const client = new pg.Client({ connectionString: started.getConnectionUri() });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [SNAPSHOT_NAME]);
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

/** Applies the migration files in order, as plain SQL (what a hand-rolled setup does), then snapshot(). */
export async function migrateAndSnapshot(started, migrationsDir) {
  const client = new pg.Client({ connectionString: started.getConnectionUri() });
  await client.connect();
  try {
    const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).sort();
    for (const file of files) await client.query(await readFile(join(migrationsDir, file), 'utf8'));
  } finally {
    await client.end();
  }
  await started.snapshot();
}
