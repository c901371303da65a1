// Scenario 1 — a database per test file. What it costs to hand a test file a fresh, migrated
// database, measured up to "the database exists" for every approach:
//   kit      a clone from the run's clone broker (CloneBroker, started by the vitest global
//            setup), claimed by a worker's Template handle over the broker's loopback socket —
//            what `test`'s file fixture does; also through a new Template handle
//   baselines  CREATE DATABASE ... TEMPLATE on demand (pgtestdb style), testcontainers'
//            restoreSnapshot(), and migrating an empty database from scratch
import pg from 'pg';
import { migrate, Template } from '../../dist/index.js';
import { runOnlyWhen } from '../lib/containers.mjs';
import { fasterGoal } from '../lib/goals.mjs';
import { compare, timed } from '../lib/measure.mjs';
import { FILE_RUNS_MS, settle as settleShared } from '../lib/shared-pool.mjs';
import { imageDataDirectory, migrateAndSnapshot, snapshotContainer } from '../lib/snapshot-container.mjs';
import { durationSection } from '../lib/tables.mjs';

/** The vitest global setup keeps one clone per worker waiting; the scale scenario runs 2 workers. */
const SHARED_CLONES = 2;

export async function cloneScenario({ server, template, runId, image, migrations, sizes, log }) {
  const admin = server.pool({ max: 2, min: 0 });
  // between two measurements the drop is done and the pool has been full for a while, as when
  // the next test file starts: no approach's background work overlaps another one's timing
  const settle = (name) => settleShared(admin, { broker: shared, dropped: name });

  const shared = await template.brokerClones(SHARED_CLONES);
  const broker = shared.address;
  const worker = Template.attach(server.connectionString, template.name, { runId, prepared: 0, broker });
  log('starting the restoreSnapshot() baseline container');
  const pgdata = await imageDataDirectory(image);
  const snapshot = await snapshotContainer({ image, pgdata, runId }).start();
  try {
    await migrateAndSnapshot(snapshot, migrations);
    let serial = 0;
    const quoted = (name) => pg.escapeIdentifier(name);
    const approaches = [
      {
        id: 'kit-claim',
        async once() {
          const { ms, result: db } = await timed(() => worker.clone());
          await db.drop();
          await settle(db.name);
          return ms;
        },
      },
      {
        id: 'kit-claim-fresh-handle',
        async once() {
          const fresh = Template.attach(server.connectionString, template.name, { runId, prepared: 0, broker });
          const { ms, result: db } = await timed(() => fresh.clone());
          await db.drop();
          await fresh.close();
          await settle(db.name);
          return ms;
        },
      },
      {
        id: 'create-database-template',
        async once() {
          const name = `bench_on_demand_${serial++}`;
          const { ms } = await timed(() =>
            admin.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(template.name)}`),
          );
          await admin.query(`DROP DATABASE ${quoted(name)} WITH (FORCE)`);
          return ms;
        },
      },
      {
        id: 'restore-snapshot',
        async once() {
          return (await timed(() => snapshot.restoreSnapshot())).ms;
        },
      },
      {
        id: 'migrate-from-scratch',
        async once() {
          const name = `bench_scratch_${serial++}`;
          const { ms } = await timed(async () => {
            await admin.query(`CREATE DATABASE ${quoted(name)}`);
            await migrate(server.urlFor(name), { dir: migrations });
          });
          await admin.query(`DROP DATABASE ${quoted(name)} WITH (FORCE)`);
          return ms;
        },
      },
    ];
    // the baseline's container (health-checked every 250 ms) runs only while its own row is timed
    for (const approach of approaches) {
      const once = approach.once;
      approach.once = async () => {
        await runOnlyWhen(snapshot.getId(), approach.id === 'restore-snapshot');
        return once();
      };
    }
    const { warmup, rounds } = sizes.clone;
    const results = await compare(approaches, {
      warmup,
      rounds,
      onRound: (round) => round >= 0 && log(`round ${round + 1}/${rounds}`),
    });

    const kit = results['kit-claim'];
    return durationSection({
      id: 'clone',
      title: 'Database per test file',
      rows: [
        { id: 'kit-claim', label: 'kit: claim a clone from the clone broker', summary: kit, reference: true },
        {
          id: 'kit-claim-fresh-handle',
          label: 'kit: same, through a new Template handle',
          summary: results['kit-claim-fresh-handle'],
        },
        {
          id: 'create-database-template',
          label: 'CREATE DATABASE … TEMPLATE on demand',
          summary: results['create-database-template'],
        },
        { id: 'restore-snapshot', label: 'testcontainers restoreSnapshot()', summary: results['restore-snapshot'] },
        {
          id: 'migrate-from-scratch',
          label: 'migrate an empty database from scratch',
          summary: results['migrate-from-scratch'],
        },
      ],
      goals: [
        // was "kit p50 ≤ 5 ms", when CREATE DATABASE … TEMPLATE took 23–55 ms here
        fasterGoal({
          text: 'kit ≥ 5× faster than CREATE DATABASE … TEMPLATE on demand (p50)',
          short: 'clone claim vs CREATE DATABASE … TEMPLATE',
          slowMs: results['create-database-template'].p50,
          fastMs: kit.p50,
          target: 5,
        }),
        fasterGoal({
          text: 'kit ≥ 40× faster than restoreSnapshot() (p50)',
          short: 'clone claim vs restoreSnapshot()',
          slowMs: results['restore-snapshot'].p50,
          fastMs: kit.p50,
          target: 40,
        }),
      ],
      notes: [
        `Each time ends when the database exists. The kit's pool holds ${SHARED_CLONES} clones (one per worker); before each claim it has been full for ${FILE_RUNS_MS} ms, as when a test file starts after the previous one ran.`,
        "The restoreSnapshot() container runs with the kit's server settings (data directory on tmpfs, fsync off) and without TimescaleDB's scheduler, which otherwise makes restoreSnapshot() fail now and then (55006: the scheduler connects to the snapshot). It is paused while the other rows are timed: testcontainers' PostgreSqlContainer runs a health check every 250 ms for as long as it runs.",
      ],
    });
  } finally {
    await shared.stop();
    await template.dropRun().catch(() => undefined);
    await worker.close();
    await runOnlyWhen(snapshot.getId(), true).catch(() => undefined);
    await snapshot.stop({ remove: true, removeVolumes: true, timeout: 0 });
    await admin.end();
  }
}
