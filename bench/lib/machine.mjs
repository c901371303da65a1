// What the numbers were measured on: the host and the database server, read at run time.
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import pg from 'pg';

/** The 1-minute load average: other work on the machine while the benchmark ran. */
export function loadAverage() {
  return Number(loadavg()[0].toFixed(2));
}

/** CPU, memory, OS and Node of this machine. */
export function describeHost() {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

/** PostgreSQL, TimescaleDB (and its licence edition) and pgvector versions of a migrated database. */
export async function describeServer(connectionString) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(`
      SELECT current_setting('server_version') AS postgres,
             (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb,
             current_setting('timescaledb.license', true) AS license,
             (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`);
    return rows[0];
  } finally {
    await client.end();
  }
}
