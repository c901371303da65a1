// Scenario — per-file setup, where the time goes. Between a test file being loaded and its first
// test starting, the kit's fixtures claim the file's clone and open the test's transaction, and
// load the factories when the test uses them. Measured here, each against the clone claim:
//   new worker   a new Node process does what a new test worker does (setup-probe.mjs): its
//                first claim through the run's clone broker, its clone's first connection and BEGIN,
//                its first factory write; loading faker as the kit loads it (the en locale
//                only), and its package root (every locale); a process's first plain connection against its second
//   parts        in this (warm) process, interleaved: the claim alone, and right after the
//                previous clone was handed back (the next file of a worker); a new connection with
//                SCRAM's default 4096 PBKDF2 iterations and with 1 (the same random password);
//                the first connection to a just-claimed clone and a second one to it; one round
//                trip; BEGIN
// The goal (per-file setup ≤ 5× the clone claim) compares the scale scenario's per-file setup
// with the clone scenario's claim of the same run (this scenario's own claim when that did not run).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { Template } from '../../dist/index.js';
import { pendingGoal } from '../lib/goals.mjs';
import { timed } from '../lib/measure.mjs';
import { settle } from '../lib/shared-pool.mjs';
import { formatMs, summarize } from '../lib/stats.mjs';
import { durationSection } from '../lib/tables.mjs';

const run = promisify(execFile);
const PROBE = join(import.meta.dirname, 'setup-probe.mjs');
const SHARED_CLONES = 2;
/** Per-file setup within this multiple of the clone claim. */
const SETUP_VS_CLAIM = 5;
const ITERATIONS = { default: 4096, low: 1 };

async function probe(args, env = {}) {
  const { stdout } = await run(process.execPath, [PROBE, ...args], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** Two login roles with the same random password, hashed with 4096 and with 1 SCRAM iteration. */
async function scramRoles(admin, runId) {
  const password = randomBytes(24).toString('hex');
  const roles = {};
  for (const [kind, iterations] of Object.entries(ITERATIONS)) {
    const role = `bench_${runId}_scram_${iterations}`.toLowerCase();
    const client = await admin.connect();
    try {
      await client.query(`SET scram_iterations = ${iterations}`);
      await client.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
    } finally {
      client.release();
    }
    roles[kind] = role;
  }
  return { roles, password };
}

const connectTime = async (connectionString) => {
  const client = new pg.Client({ connectionString });
  const { ms } = await timed(() => client.connect());
  return { ms, client };
};

async function newWorkers({ admin, shared, ...context }, count, log) {
  const samples = {
    connectFirst: [],
    connectSecond: [],
    claim: [],
    begin: [],
    firstCreate: [],
    secondCreate: [],
    fakerAll: [],
    fakerEn: [],
  };
  const env = { BENCH_SETUP: JSON.stringify(context) };
  for (let i = 0; i < count; i++) {
    const worker = await probe(['worker'], env);
    samples.claim.push(worker.claimMs);
    samples.begin.push(worker.beginMs);
    samples.firstCreate.push(worker.firstCreateMs);
    samples.secondCreate.push(worker.secondCreateMs);
    const connections = await probe(['connect'], env);
    samples.connectFirst.push(connections.firstMs);
    samples.connectSecond.push(connections.secondMs);
    samples.fakerAll.push((await probe(['import', '@faker-js/faker'])).importMs);
    samples.fakerEn.push((await probe(['import', '@faker-js/faker/locale/en'])).importMs);
    await settle(admin, { broker: shared });
    log(`new worker ${i + 1}/${count}: claim ${formatMs(worker.claimMs)}, begin ${formatMs(worker.beginMs)}`);
  }
  return samples;
}

async function parts({ admin, server, runId, template, shared }, rounds, log) {
  const worker = Template.attach(server.connectionString, template.name, {
    runId,
    prepared: 0,
    broker: shared.address,
  });
  const { roles, password } = await scramRoles(admin, runId);
  const as = (role) => {
    const url = new URL(server.connectionString);
    url.username = role;
    url.password = password;
    return url.toString();
  };
  const samples = {
    claim: [],
    claimAfterDrop: [],
    scramDefault: [],
    scramLow: [],
    freshClone: [],
    cloneAgain: [],
    roundTrip: [],
    begin: [],
  };
  try {
    await (await worker.clone()).drop(); // the handle's line to the broker, opened outside the timing
    for (let round = 0; round < rounds; round++) {
      await settle(admin, { broker: shared });
      const claim = await timed(() => worker.clone());
      const db = claim.result;
      const first = await connectTime(db.connectionString);
      const trip = await timed(() => first.client.query('SELECT 1'));
      const begin = await timed(() => first.client.query('BEGIN'));
      await first.client.query('ROLLBACK');
      const again = await connectTime(db.connectionString);
      await Promise.all([first.client.end(), again.client.end()]);
      // the next file of the same worker (`isolate: false`): its claim while the previous
      // file's clone is being dropped and the global setup tops the pool up
      await db.drop();
      const next = await timed(() => worker.clone());
      await next.result.drop();
      await settle(admin, { broker: shared, dropped: next.result.name });
      // the connections by SCRAM iterations, in alternating order
      const order = round % 2 ? ['low', 'default'] : ['default', 'low'];
      const scram = {};
      for (const kind of order) {
        const connection = await connectTime(as(roles[kind]));
        scram[kind] = connection.ms;
        await connection.client.end();
      }
      samples.claim.push(claim.ms);
      samples.claimAfterDrop.push(next.ms);
      samples.freshClone.push(first.ms);
      samples.cloneAgain.push(again.ms);
      samples.roundTrip.push(trip.ms);
      samples.begin.push(begin.ms);
      samples.scramDefault.push(scram.default);
      samples.scramLow.push(scram.low);
    }
    await settle(admin, { broker: shared });
    log(`${rounds} rounds of the parts done`);
  } finally {
    await worker.close();
    for (const role of Object.values(roles)) await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  }
  return samples;
}

export async function setupScenario({ server, template, runId, sizes, log }) {
  const admin = server.pool({ max: 2, min: 0 });
  const shared = await template.brokerClones(SHARED_CLONES);
  try {
    const context = { serverUrl: server.connectionString, template: template.name, runId, broker: shared.address };
    const fresh = await newWorkers({ ...context, admin, shared }, sizes.setup.workers, log);
    const warm = await parts({ admin, server, runId, template, shared }, sizes.setup.rounds, log);
    return setupSection(
      Object.fromEntries(
        [...Object.entries(fresh).map(([k, v]) => [`worker-${k}`, v]), ...Object.entries(warm)].map(([k, v]) => [
          k,
          summarize(v),
        ]),
      ),
    );
  } finally {
    await shared.stop();
    await template.dropRun().catch(() => undefined);
    await admin.end();
  }
}

export function setupSection(s) {
  const p50 = (id) => s[id].p50;
  // what a change saves, as measured: nothing when the difference is within the noise
  const saves = (slow, fast) => {
    const saved = p50(slow) - p50(fast);
    return saved > 0 ? formatMs(saved) : `nothing measurable (${formatMs(p50(slow))} vs ${formatMs(p50(fast))})`;
  };
  const rows = [
    ['claim', 'the clone claim (a worker with its broker connection open)'],
    ['claimAfterDrop', "the claim right after the previous file's clone was handed back"],
    ['worker-claim', 'new worker: its first claim through the broker (whole kit loaded)'],
    ['worker-connectFirst', "new process: its first connection (pg, the server's database)"],
    ['worker-connectSecond', 'new process: its second connection'],
    ['worker-begin', "new worker: its clone's first connection, then BEGIN"],
    ['worker-fakerAll', 'new worker: loading faker, its package root (every locale)'],
    ['worker-fakerEn', 'new worker: loading faker as the kit does (the en locale only)'],
    ['worker-firstCreate', "new worker: the first test's first factory write (reads columns)"],
    ['worker-secondCreate', 'new worker: the next factory write'],
    ['scramDefault', 'a new connection, SCRAM with 4096 iterations (the default)'],
    ['scramLow', 'a new connection, SCRAM with 1 iteration (same password)'],
    ['freshClone', 'the first connection to a just-claimed clone'],
    ['cloneAgain', 'a second connection to the same clone'],
    ['roundTrip', 'one round trip (SELECT 1)'],
    ['begin', 'BEGIN'],
  ].map(([id, label]) => ({
    id,
    label,
    summary: s[id],
    ...(id === 'claim' ? { reference: true, short: 'claim' } : {}),
  }));
  const newWorker = p50('worker-claim') + p50('worker-begin');
  return durationSection({
    id: 'setup',
    title: 'Per-file setup: where the time goes',
    rows,
    goals: [
      pendingGoal({
        text: `per-file setup (scale scenario: test file loaded → its first test starts) ≤ ${SETUP_VS_CLAIM}× the clone claim (p50)`,
        short: 'per-file setup vs the clone claim',
        value: [
          ['scale', 'kit-setup'],
          ['headline', 'kit-defaults-setup'],
        ],
        base: [
          ['clone', 'kit-claim'],
          ['setup', 'claim'],
        ],
        direction: 'atMost',
        target: SETUP_VS_CLAIM,
      }),
    ],
    notes: [
      `"new worker" rows: a new Node process each (${s['worker-claim'].n} of them), as vitest starts one per test file under its defaults; the other rows: ${s.claim.n} rounds in one warm process, interleaved.`,
      `A new worker process spends up to ${formatMs(newWorker)} on its clone and transaction before a test that uses only \`db\` can start, and ${formatMs(p50('worker-fakerEn'))} more loading faker when the test uses \`factories\`. An upper bound: the probe loads the kit's root entry (testcontainers and faker included), a vitest worker the lighter \`timescale-testkit/vitest\`; the headline measures the same split inside real vitest workers.`,
      `A process's first connection takes ${formatMs(p50('worker-connectFirst'))} against ${formatMs(p50('worker-connectSecond'))} for its second. What would cut it: SCRAM with 1 iteration instead of 4096 saves ${saves('scramDefault', 'scramLow')} per connection (a worker opens 2; the password stays random, and a random password gains nothing from iterations); loading faker's en locale alone (as the kit does) instead of every locale saves ${saves('worker-fakerAll', 'worker-fakerEn')} per worker process; a clone connected to once before it is claimed saves ${saves('freshClone', 'cloneAgain')} on its first connection; reusing the worker process (\`isolate: false\`) saves the first-connection and loading costs of every file after a worker's first.`,
    ],
    extra: { newWorkerMs: newWorker },
  });
}
