// Soak test: two vitest runs at once, again and again, on one reused container, with both
// cores kept busy by other processes — a loaded CI machine. Passes when every run passed and
// the server never restarted (pg_postmaster_start_time unchanged, no crash lines in its log).
//
//   npm run build && node scripts/soak.mjs [--seconds 60]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { getContainerRuntimeClient } from 'testcontainers';

const root = process.cwd();
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const seconds = Number(values.seconds);
const { listContainers, pruneContainers } = await import(join(root, 'dist', 'index.js'));
const CRASH = /terminated by signal|terminating any other active server processes|database system was interrupted/;

const env = { ...process.env, NO_COLOR: '1' };
delete env.TIMESCALE_TESTKIT_URL;
for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];

const startedAt = async () => {
  const client = new pg.Client({ connectionString: server.connectionString });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query('SELECT pg_postmaster_start_time()::text AS t')).rows[0].t;
  } finally {
    await client.end();
  }
};
// The first run starts the reused container (the soak suite's own options decide which); the
// soak proper then runs on it, and it must never restart.
const known = new Set((await listContainers()).map((container) => container.id));
const first = await vitestRun();
if (first.code !== 0) {
  console.log(`soak: the first run failed (exit ${first.code}):\n${first.output.split('\n').slice(-40).join('\n')}`);
  process.exit(1);
}
const server = (await listContainers()).find(
  (container) => container.reuse && container.state === 'running' && !known.has(container.id),
);
if (server === undefined || server.connectionString === undefined) {
  console.log('soak: the first run left no new reused container running (is another soak container around?)');
  process.exit(1);
}
const before = await startedAt();
console.log(
  `soak: container ${server.id.slice(0, 12)} up since ${before}; ${seconds} s, 2 runs at once, 2 busy processes`,
);

const burners = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const deadline = performance.now() + seconds * 1000;
const runs = { passed: 0, failed: 0 };

function vitestRun() {
  return new Promise((resolve) => {
    const args = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/soak/vitest.config.ts'];
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function loop(lane) {
  while (performance.now() < deadline) {
    const { code, output } = await vitestRun();
    if (code === 0) runs.passed++;
    else {
      runs.failed++;
      console.log(
        `soak: lane ${lane}: a run failed (exit ${code}); its last lines:\n${output.split('\n').slice(-40).join('\n')}`,
      );
    }
  }
}

let after;
let crashLines = [];
try {
  await Promise.all([loop(1), loop(2)]);
  after = await startedAt().catch((error) => `unreachable (${error.message})`);
  const client = await getContainerRuntimeClient();
  const logs = await client.container.dockerode
    .getContainer(server.id)
    .logs({ follow: false, stdout: true, stderr: true, timestamps: false });
  crashLines = logs
    .toString('utf8')
    .split('\n')
    .filter((line) => CRASH.test(line));
} finally {
  for (const burner of burners) burner.kill();
  await pruneContainers({ includeReused: true, ids: [server.id] });
}

console.log(`soak: ${runs.passed} run(s) passed, ${runs.failed} failed; server up since ${after}`);
for (const line of crashLines) console.log(`soak: server log: ${line}`);
const restarted = after !== before || crashLines.length > 0;
if (restarted) console.log('soak: FAILED: the server restarted');
if (runs.failed > 0 || runs.passed === 0 || restarted) process.exit(1);
console.log('soak: passed, no server restart');
