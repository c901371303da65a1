import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate } from '../../src/index.js';
import { MARKER_PREFIX, Template, templateName } from '../../src/isolation/index.js';
import { serverUrl } from '../support/server.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'migrations');

async function databases(pattern: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname',
      [pattern],
    );
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('createTemplate', () => {
  let dir: string;
  let template: Template;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-template-'));
    await cp(fixtures, dir, { recursive: true });
    await writeFile(join(dir, '005_marker.sql'), `CREATE TABLE template_marker (id int); -- ${dir}\n`);
    template = await createTemplate(serverUrl(), { migrations: dir, runId: 'tpltest', prepared: 2 });
  });
  afterAll(async () => {
    await template.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a sealed template named after the migrations hash', async () => {
    expect(template.report?.applied.map((m) => m.name)).toHaveLength(5);
    expect(template.name).toBe(templateName(template.report?.hash ?? ''));
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    const { rows } = await client.query<{ datistemplate: boolean; datallowconn: boolean; comment: string }>(
      "SELECT datistemplate, datallowconn, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [template.name],
    );
    await client.end();
    expect(rows[0]).toMatchObject({ datistemplate: true, datallowconn: false });
    expect(rows[0]?.comment.startsWith(MARKER_PREFIX)).toBe(true);
  });

  it('is found again, not rebuilt, while the hash is unchanged', async () => {
    const again = await createTemplate(serverUrl(), { migrations: dir, runId: 'tpltest' });
    expect(again.name).toBe(template.name);
    expect(again.report).toBeUndefined();
    await again.close();
  });

  it('is built once when several runs start at once, and found by the others', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'tk-template-race-'));
    await cp(fixtures, fresh, { recursive: true });
    await writeFile(join(fresh, '005_marker.sql'), `CREATE TABLE race_marker (id int); -- ${fresh}\n`);
    const runs = await Promise.all(
      [1, 2, 3].map(() => createTemplate(serverUrl(), { migrations: fresh, runId: 'tplrace' })),
    );
    try {
      expect(new Set(runs.map((run) => run.name)).size).toBe(1);
      expect(runs.filter((run) => run.report !== undefined)).toHaveLength(1);
      await using db = await runs[0]?.clone();
      expect((await db?.query("SELECT to_regclass('race_marker') AS t"))?.rows).toEqual([{ t: 'race_marker' }]);
    } finally {
      await Promise.all(runs.map((run) => run.close()));
      const admin = new pg.Client({ connectionString: serverUrl() });
      await admin.connect();
      const id = pg.escapeIdentifier(runs[0]?.name ?? '');
      await admin.query(`ALTER DATABASE ${id} IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE ${id}`);
      await admin.end();
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('hands out migrated clones, each its own database', async () => {
    await using first = await template.clone();
    await using second = await template.clone();
    expect(first.name).not.toBe(second.name);
    expect(first.name).toMatch(/^tk_tpltest_\d+_\d+_\d+$/);
    await first.query('INSERT INTO template_marker VALUES (1)');
    const inSecond = await second.query<{ n: number }>('SELECT count(*)::int AS n FROM template_marker');
    expect(inSecond.rows[0]?.n).toBe(0);
    const hyper = await first.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM timescaledb_information.hypertables',
    );
    expect(hyper.rows[0]?.n).toBe(2);
    await first.exec(
      "INSERT INTO agent_status (name, type, status) VALUES ('a', 'x', 'RUNNING'); INSERT INTO template_marker VALUES (2)",
    );
    expect((await first.query<{ n: number }>('SELECT count(*)::int AS n FROM template_marker')).rows[0]?.n).toBe(2);
  });

  it('prefetches a clone with a connection already open; an unused one is closed on drop', async () => {
    const worker = Template.attach(serverUrl(), template.name, { runId: 'tplprefetch', prepared: 0 });
    try {
      worker.prefetch();
      worker.prefetch();
      const db = await worker.clone();
      expect(db.pool.totalCount).toBe(1);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM template_marker')).rows[0]?.n).toBe(0);
      const pool = db.pool;
      await db.drop();
      expect(pool.ended).toBe(true);

      worker.prefetch();
      const unused = await worker.clone();
      await unused.drop();
      // never queried: the pool warmed for it was ended all the same
      expect(unused.pool.ended).toBe(true);
    } finally {
      await worker.close();
    }
    expect(await databases('tk\\_tplprefetch\\_%')).toEqual([]);
  });

  it('drops released clones and everything of the run at the end', async () => {
    const db = await template.clone();
    await db.drop();
    await db.drop();
    expect(db.dropped).toBe(true);
    const kept = await template.clone();
    kept.keep();
    await kept.drop();
    expect(template.kept).toContain(kept.name);
    const made = await template.clone();
    await template.dropRun();
    const left = await databases('tk\\_tpltest\\_%');
    expect(left).toContain(kept.name);
    expect(left).not.toContain(made.name);
    await template.dropRun();
    const other = Template.attach(serverUrl(), template.name, { runId: 'cleanup' });
    await other.close();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE ${pg.escapeIdentifier(kept.name)} WITH (FORCE)`);
    await admin.end();
  });

  it('keeps a shared pool of clones that other processes claim, topped up in the background', async () => {
    const shared = await template.shareClones(2);
    expect(await databases('tk\\_tpltest\\_shared\\_%')).toHaveLength(2);
    const worker = Template.attach(serverUrl(), template.name, { runId: 'tpltest', prepared: 0 });
    const claimed = await worker.clone();
    expect(claimed.name).toMatch(/^tk_tpltest_\d+_\d+_1$/);
    expect((await claimed.query<{ n: number }>('SELECT count(*)::int AS n FROM template_marker')).rows[0]?.n).toBe(0);
    for (let i = 0; i < 40 && (await databases('tk\\_tpltest\\_shared\\_%')).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await databases('tk\\_tpltest\\_shared\\_%')).toHaveLength(2);
    await shared.stop();
    await claimed.drop();
    await worker.close();
    await template.dropRun();
    expect(await databases('tk\\_tpltest\\_shared\\_%')).toEqual([]);
  });

  it('rebuilds under a new name when a migration changes', async () => {
    await writeFile(join(dir, '005_marker.sql'), 'CREATE TABLE template_marker (id int, note text);\n');
    const changed = await createTemplate(serverUrl(), { migrations: dir, runId: 'tpltest' });
    try {
      expect(changed.name).not.toBe(template.name);
      expect(changed.report?.applied).toHaveLength(5);
      await using db = await changed.clone();
      const cols = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'template_marker'",
      );
      expect(cols.rows[0]?.n).toBe(2);
    } finally {
      await changed.close();
    }
  });

  it('drops leftovers of crashed runs older than the bound at the next start', async () => {
    const crashed = Template.attach(serverUrl(), template.name, { runId: 'crashedrun', prepared: 0 });
    const leftover = await crashed.clone();
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    const old = `${MARKER_PREFIX}${JSON.stringify({ kind: 'clone', runId: 'crashedrun', createdAt: Date.now() - 7_200_000, hash: template.name })}`;
    await admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(leftover.name)} IS ${pg.escapeLiteral(old)}`);
    await admin.end();
    expect(await databases('tk\\_crashedrun\\_%')).toEqual([leftover.name]);
    const next = await createTemplate(serverUrl(), { migrations: dir, runId: 'nextrun' });
    expect(await databases('tk\\_crashedrun\\_%')).toEqual([]);
    await next.close();
  });
});

describe('stale templates', () => {
  it('are dropped when built longer ago than the bound; the current one stays', async () => {
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    const old = `tk_tpl_stale_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(old)}`);
    const marker = `${MARKER_PREFIX}${JSON.stringify({ kind: 'template', runId: 'old', createdAt: Date.now() - 2 * 86_400_000, hash: 'old' })}`;
    await admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(old)} IS ${pg.escapeLiteral(marker)}`);
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(old)} WITH IS_TEMPLATE true`);
    const current = await createTemplate(serverUrl(), { migrations: fixtures, runId: 'staletest' });
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1::text[])',
      [[old, current.name]],
    );
    await admin.end();
    await current.close();
    expect(rows.map((row) => row.datname)).toEqual([current.name]);
  });
});
