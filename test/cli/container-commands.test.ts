import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { listContainers } from '../../src/index.js';
import { MARKER_PREFIX } from '../../src/isolation/index.js';
import { folder } from '../migrate/support.js';
import { REFERENCE_TABLES } from '../support/server.js';
import { cli, configHashOf, removeProjectContainers, tempProject, urlOf } from './support.js';

const REFERENCE = join(import.meta.dirname, '..', '..', 'fixtures', 'migrations');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A database on `url`'s server carrying a kit marker of `kind`, created `ageMs` ago (none: no marker). */
async function fakeDatabase(url: string, name: string, marker?: { kind: 'clone' | 'template'; ageMs: number }) {
  await query(url, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  if (marker) {
    const comment = `${MARKER_PREFIX}${JSON.stringify({ kind: marker.kind, runId: 'crashed', createdAt: Date.now() - marker.ageMs, hash: 'x' })}`;
    await query(url, `COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${pg.escapeLiteral(comment)}`);
  }
}

async function databases(url: string): Promise<string[]> {
  return (await query<{ datname: string }>(url, 'SELECT datname FROM pg_database ORDER BY datname')).map(
    (r) => r.datname,
  );
}

describe('cli: up --detach, status, prune, down', () => {
  it('leaves a reusable container that status lists with its reuse hash, prune cleans and down removes', async () => {
    await using project = await tempProject();
    let hash: string | undefined;
    try {
      const up = await cli(['up', '--detach'], { cwd: project.dir });
      expect(up.code, up.err).toBe(0);
      expect(up.err).toMatch(
        /^✓ started container [0-9a-f]{12} \S+ \(timescaledb [\d.]+, vector [\d.]+\) \([\d.]+ m?s\)$/m,
      );
      expect(up.err).toContain('note: no migrations folder at migrations: nothing applied');
      const url = urlOf(up.out);
      expect(up.out).toContain(`psql  psql "${url}"`);
      hash = /reuse hash ([0-9a-f]{16})/.exec(up.err)?.[1];
      expect(hash).toBeDefined();
      const mine = (await listContainers()).find((c) => c.configHash === hash);
      expect(mine?.reuse).toBe(true);
      expect(mine?.connectionString).toBe(url);

      const status = await cli(['status']);
      expect(status.code).toBe(0);
      expect(status.out.split('\n')[0]).toMatch(/^ID +IMAGE +STATE +AGE +PORTS +OWNER$/);
      const line = status.out.split('\n').find((l) => l.startsWith(mine?.id.slice(0, 12) ?? '-'));
      expect(line).toMatch(new RegExp(`running +\\d+s +\\S+:${new URL(url).port}->5432 +reuse ${hash}$`));
      const json = await cli(['status', '--json']);
      const entry = (JSON.parse(json.out) as { id: string; url: string; configHash: string; reuse: boolean }[]).find(
        (c) => c.id === mine?.id,
      );
      expect(entry).toMatchObject({ url, configHash: hash, reuse: true });

      const again = await cli(['up', '--detach'], { cwd: project.dir });
      expect(again.err).toContain(`✓ found running container ${mine?.id.slice(0, 12)}`);
      expect(urlOf(again.out)).toBe(url);

      // leftovers inside the reused container: an old clone and template of a crashed run, a young clone, and
      // a database the kit did not make
      const suffix = project.tag.replaceAll('-', '_');
      await fakeDatabase(url, `tk_crashed_${suffix}`, { kind: 'clone', ageMs: 2 * 86_400_000 });
      await fakeDatabase(url, `tk_tpl_old_${suffix}`, { kind: 'template', ageMs: 2 * 86_400_000 });
      await fakeDatabase(url, `tk_young_${suffix}`, { kind: 'clone', ageMs: 0 });
      await fakeDatabase(url, `not_kit_${suffix}`);
      const pruned = await cli(['prune', '--older-than-minutes', '1440']);
      expect(pruned.code, pruned.err).toBe(0);
      const where = `container ${mine?.id.slice(0, 12)}`;
      expect(pruned.out).toContain(`dropped clone tk_crashed_${suffix} in ${where}`);
      expect(pruned.out).toContain(`dropped template tk_tpl_old_${suffix} in ${where}`);
      expect(await databases(url)).toEqual(expect.arrayContaining([`tk_young_${suffix}`, `not_kit_${suffix}`]));
      expect((await listContainers()).map((c) => c.id)).toContain(mine?.id);

      const host = `${new URL(url).hostname}:${new URL(url).port}`;
      const young = await cli(['prune', '--url', url, '--older-than-minutes', '5']);
      expect(young.out).toBe(`nothing to prune on ${host}`);
      const all = await cli(['prune', '--url', url, '--templates']);
      expect(all.out).toBe(`dropped clone tk_young_${suffix} on ${host}`);
      expect(all.err).toMatch(new RegExp(`^✓ dropped 1 clone\\(s\\) and 0 template\\(s\\) on ${host}`, 'm'));
      expect(await databases(url)).toContain(`not_kit_${suffix}`);

      // a foreground `up --reuse` finds the container and leaves it running on Ctrl-C
      const controller = new AbortController();
      const foreground = await cli(['up', '--reuse'], {
        cwd: project.dir,
        signal: controller.signal,
        onLine: (l) => l.startsWith('psql') && controller.abort(),
      });
      expect(foreground.code).toBe(0);
      expect(foreground.err).toContain('was running before `up` and is left running; `down` removes it');
      expect((await listContainers()).map((c) => c.id)).toContain(mine?.id);

      const down = await cli(['down', hash ?? '-']);
      expect(down.code).toBe(0);
      expect(down.out).toMatch(new RegExp(`^removed ${mine?.id.slice(0, 12)}  \\S+  reuse ${hash}$`));
      expect(down.err).toMatch(/^✓ removed 1 container\(s\)/);
      expect((await cli(['status'])).out).not.toContain(mine?.id.slice(0, 12));
      const gone = await cli(['down', hash ?? '-']);
      expect(gone.code).toBe(1);
      expect(gone.err).toBe(
        `error: no timescale-testkit container matches "${hash}"\nfix: \`timescale-testkit status\` lists them`,
      );
    } finally {
      await removeProjectContainers(await configHashOf(project.dir));
    }
  });
});

describe('cli: up in the foreground', () => {
  it('migrates, seeds, prints the URL; status lists it, down removes it, Ctrl-C then exits 0', async () => {
    await using project = await tempProject();
    const controller = new AbortController();
    let ready: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => {
      ready = resolve;
    });
    const running = cli(['up', '--seed'], {
      cwd: project.dir,
      signal: controller.signal,
      onLine: (line) => {
        if (line.startsWith('url ')) ready(urlOf(line));
      },
    });
    const serverUrl = await url;
    const hash = (await listContainers()).find((c) => c.connectionString === serverUrl)?.configHash;
    try {
      const counts = await query<{ table: string; n: number }>(
        serverUrl,
        REFERENCE_TABLES.map((t) => `SELECT '${t}' AS table, count(*)::int AS n FROM ${t}`).join(' UNION ALL '),
      );
      expect(counts.every((c) => c.n > 0)).toBe(true);
      // from another terminal: status lists it, down removes it; Ctrl-C then finds it gone
      const id = (await listContainers()).find((c) => c.connectionString === serverUrl)?.id.slice(0, 12) ?? '-';
      expect((await cli(['status'])).out).toMatch(new RegExp(`^${id}  .* run \\S+$`, 'm'));
      expect((await cli(['down', id])).code).toBe(0);
      controller.abort();
      const { code, out, err } = await running;
      expect(code).toBe(0);
      expect(err).toContain("note: no migrations folder at migrations: applying the kit's reference schema for --seed");
      expect(err).toMatch(/^✓ applied 4 migration\(s\) \(plain, hash [0-9a-f]{12}; 0 applied before\)/m);
      expect(out).toMatch(/^trading_sessions +3$/m);
      expect(out).toMatch(/^candlesticks +2880$/m);
      expect(err).toContain('ready; press Ctrl-C to stop');
      expect(err).toContain(`note: container ${id} was already removed (by \`timescale-testkit down\`?)`);
      expect((await listContainers()).filter((c) => c.configHash === hash)).toEqual([]);
    } finally {
      controller.abort();
      await running;
      await removeProjectContainers(await configHashOf(project.dir));
    }
  });

  it('exits on its own when its container is removed from another terminal', async () => {
    await using project = await tempProject({ migrations: REFERENCE });
    const controller = new AbortController();
    let ready: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => {
      ready = resolve;
    });
    const running = cli(['up'], {
      cwd: project.dir,
      signal: controller.signal,
      onLine: (line) => line.startsWith('url ') && ready(urlOf(line)),
    });
    const serverUrl = await url;
    const container = (await listContainers()).find((c) => c.connectionString === serverUrl);
    try {
      expect((await cli(['down', container?.id.slice(0, 12) ?? '-'])).code).toBe(0);
      const { code, err } = await running; // no Ctrl-C: up notices by itself
      expect(code).toBe(0);
      expect(err).toContain(`note: container ${container?.id.slice(0, 12)} was already removed`);
      expect(err).toContain('up exits');
    } finally {
      controller.abort();
      await running;
      await removeProjectContainers(await configHashOf(project.dir));
    }
  });

  it('interrupted before it is ready: removes the container and exits 130', async () => {
    await using project = await tempProject({ migrations: REFERENCE });
    vi.stubEnv('TIMESCALE_TESTKIT_URL', 'postgres://elsewhere:5432/db');
    const controller = new AbortController();
    const { code, err } = await cli(['up'], {
      cwd: project.dir,
      signal: controller.signal,
      onLine: (line) => line.startsWith('✓ started') && controller.abort(),
    }).finally(() => vi.unstubAllEnvs());
    const projectHash = await configHashOf(project.dir);
    onTestFinished(() => removeProjectContainers(projectHash));
    expect(code).toBe(130);
    expect(err).toContain('note: TIMESCALE_TESTKIT_URL (or `url` in the config) is set: tests use that server');
    expect(err).not.toContain('✓ applied');
    expect(err).toContain('interrupted');
    expect(err).toMatch(/^✓ stopped and removed container/m);
    expect((await listContainers()).some((c) => c.connectionString && err.includes(c.id.slice(0, 12)))).toBe(false);
  });

  it('a failing migration: error with file and line, nothing left running, exit 1', async () => {
    const dir = await folder({ '1_ok.sql': 'CREATE TABLE ok (id int);\n', '2_bad.sql': 'SELECT 1;\nSELEC 2;\n' });
    await using project = await tempProject({ migrations: dir });
    const projectHash = await configHashOf(project.dir);
    onTestFinished(() => removeProjectContainers(projectHash));
    const { code, err } = await cli(['up', '--seed'], { cwd: project.dir });
    expect(code).toBe(1);
    expect(err).toContain(`error: migration ${join(dir, '2_bad.sql')}:2:1 failed: syntax error at or near "SELEC"`);
    const started = /✓ started container ([0-9a-f]{12})/.exec(err)?.[1];
    expect(started).toBeDefined();
    expect((await listContainers()).some((c) => c.id.startsWith(started ?? '-'))).toBe(false);
  });
});
