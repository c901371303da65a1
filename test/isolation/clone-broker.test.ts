import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from '../../src/index.js';
import { type BrokerAddress, brokerClient, brokerPrefix, Template } from '../../src/isolation/index.js';
import { parseMarker } from '../../src/isolation/marker.js';
import { databaseRows, serverUrl, urlFor } from '../support/server.js';

const fixtures = new URL('../../fixtures/migrations', import.meta.url).pathname;

/** Sends raw lines to a broker and collects the lines it answers, until it closes or `ms` pass. */
function rawExchange(
  address: BrokerAddress,
  lines: string[],
  ms = 1_000,
): Promise<{ answers: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port: address.port });
    const answers: string[] = [];
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => answers.push(...chunk.split('\n').filter(Boolean)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
    });
    socket.on('connect', () => socket.write(lines.map((line) => `${line}\n`).join('')));
    setTimeout(() => {
      socket.destroy();
      resolve({ answers, closed });
    }, ms);
  });
}

describe('the clone broker', () => {
  const admin = new pg.Pool({ connectionString: serverUrl(), max: 2 });
  let template: Template;
  const attach = (runId: string, broker: BrokerAddress) =>
    Template.attach(serverUrl(), template.name, { runId, prepared: 0, broker });
  const rows = (runId: string) => databaseRows(admin, 'starts_with(datname, $1)', brokerPrefix(runId));

  beforeAll(async () => {
    template = await createTemplate(serverUrl(), { migrations: fixtures, runId: 'brokertest', prepared: 0 });
  });
  afterAll(async () => {
    await template.close();
    await admin.end();
  });

  it('hands each worker its own clone, open and marked; the waiting ones stay closed', async () => {
    const broker = await template.brokerClones(2);
    const workers = [attach('brokertest', broker.address), attach('brokertest', broker.address)];
    try {
      const waiting = await rows('brokertest');
      expect(waiting).toHaveLength(2);
      expect(waiting.every((clone) => !clone.allowConn)).toBe(true);
      const closed = new pg.Client({ connectionString: urlFor(waiting[0]?.name ?? '') });
      await expect(closed.connect()).rejects.toMatchObject({ code: '55000' });

      // four files at once from a pool of two: the last two wait for clones being made
      const dbs = await Promise.all([...workers, ...workers].map((worker) => worker.clone()));
      expect(new Set(dbs.map((db) => db.name)).size).toBe(4);
      for (const db of dbs) {
        expect(db.name.startsWith(brokerPrefix('brokertest'))).toBe(true);
        expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_status')).rows[0]?.n).toBe(0);
        const [row] = (await rows('brokertest')).filter((clone) => clone.name === db.name);
        expect(row?.allowConn).toBe(true);
        expect(parseMarker(row?.comment)).toMatchObject({
          kind: 'clone',
          runId: 'brokertest',
          template: template.name,
        });
        // truncate checks the marker before it empties anything
        await db.truncate();
      }
      const names = dbs.map((db) => db.name);
      await Promise.all(dbs.map((db) => db.drop()));
      await Promise.all(workers.map((worker) => worker.close()));
      await broker.whenIdle();
      const after = await rows('brokertest');
      expect(after.filter((clone) => names.includes(clone.name))).toEqual([]);
      expect(after).toHaveLength(2);
    } finally {
      await broker.stop();
      await template.dropRun();
    }
    expect(await rows('brokertest')).toEqual([]);
  });

  it('keeps a clone handed back with keep, marked as kept, and the run teardown leaves it', async () => {
    const broker = await template.brokerClones(1);
    const worker = attach('brokerkeep', broker.address);
    try {
      const db = await worker.clone();
      db.keep();
      await db.drop();
      expect(worker.kept).toEqual([db.name]);
      await broker.whenIdle();
      const [kept] = (await rows('brokertest')).filter((clone) => clone.name === db.name);
      expect(parseMarker(kept?.comment)).toMatchObject({ kind: 'clone', kept: true, template: template.name });
      expect(await template.dropRun()).not.toContain(db.name);
      await admin.query(`DROP DATABASE ${pg.escapeIdentifier(db.name)} WITH (FORCE)`);
    } finally {
      await broker.stop();
      await worker.close();
      await template.dropRun();
    }
  });

  it('answers only requests carrying the run token, and drops what a vanished worker held', async () => {
    const broker = await template.brokerClones(1);
    try {
      const { host, port, token } = broker.address;
      expect(host).toBe('127.0.0.1');
      const refused = await rawExchange({ host, port, token }, [
        JSON.stringify({ id: 1, token: 'wrong', op: 'claim' }),
      ]);
      expect(refused).toEqual({ answers: [], closed: true });
      const garbled = await rawExchange({ host, port, token }, ['not json']);
      expect(garbled.closed).toBe(true);

      // a worker that claims and goes away without handing the clone back
      const { answers } = await rawExchange(
        { host, port, token },
        [JSON.stringify({ id: 7, token, op: 'claim' })],
        500,
      );
      const answer = JSON.parse(answers[0] ?? '{}') as { id?: number; name?: string };
      expect(answer.id).toBe(7);
      expect(answer.name?.startsWith(brokerPrefix('brokertest'))).toBe(true);
      for (let i = 0; i < 200 && (await rows('brokertest')).some((clone) => clone.name === answer.name); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await rows('brokertest')).map((clone) => clone.name)).not.toContain(answer.name);

      const unknown = await rawExchange({ host, port, token }, [JSON.stringify({ id: 2, token, op: 'shred' })], 300);
      expect(JSON.parse(unknown.answers[0] ?? '{}')).toMatchObject({ id: 2, error: expect.stringMatching(/unknown/) });
    } finally {
      await broker.stop();
      await template.dropRun();
    }
  });

  it("keeps the first catalog a worker read for the run's other workers", async () => {
    const broker = await template.brokerClones(1);
    try {
      const client = brokerClient(broker.address);
      expect(await client.catalog('template a')).toBeUndefined();
      await client.keepCatalog('template a', [{ name: 'id' }]);
      // a later copy (another worker that read it meanwhile) does not replace it
      await client.keepCatalog('template a', [{ name: 'other' }]);
      expect(await client.catalog('template a')).toEqual([{ name: 'id' }]);
      expect(await client.catalog('template b')).toBeUndefined();
      // a bounded number of templates: a worker cannot grow the main process without limit
      for (const key of ['b', 'c', 'd', 'e', 'f']) await client.keepCatalog(`template ${key}`, [{ key }]);
      expect(await client.catalog('template d')).toEqual([{ key: 'd' }]);
      expect(await client.catalog('template e')).toBeUndefined();
    } finally {
      await broker.stop();
      await template.dropRun();
    }
  });

  it("reaches a later broker on a port an earlier one used, with the later broker's token", async () => {
    // a process that starts brokers one after another (the benchmark) may get a later one on the
    // port of one that stopped: the later one's client must not be the earlier one's
    const broker = await template.brokerClones(1);
    try {
      const { host, port, token } = broker.address;
      const earlier = brokerClient({ host, port, token: `${token.slice(1)}x` });
      await expect(earlier.claim()).rejects.toMatchObject({ code: 'BROKER_GONE' });
      const name = await brokerClient(broker.address).claim();
      expect(name.startsWith(brokerPrefix('brokertest'))).toBe(true);
      await brokerClient(broker.address).release(name, false);
    } finally {
      await broker.stop();
      await template.dropRun();
    }
  });

  it('tells a worker clearly when the run is over', async () => {
    const broker = await template.brokerClones(1);
    const worker = attach('brokerover', broker.address);
    try {
      await broker.stop();
      await expect(broker.claim()).rejects.toThrow(/the run is over/);
      await expect(worker.clone()).rejects.toMatchObject({ code: 'BROKER_GONE', message: /main process/ });
    } finally {
      await worker.close();
      await template.dropRun();
    }
  });
});
