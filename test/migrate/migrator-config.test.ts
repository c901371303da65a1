import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';
import { prepareRun } from '../../src/harness/index.js';
import { functionMigrator } from '../../src/index.js';
import { cli } from '../cli/support.js';
import { scratchDatabase, serverUrl } from '../support/server.js';
import { existing } from './support.js';
import { ROOT } from './tools-support.js';

const SOURCE = join(ROOT, 'src', 'index.ts');

/** A project in .tmp/ whose timescale-testkit.config.ts configures `migrations` with the given expression. */
async function project(expression: string, extra = '') {
  const dir = join(ROOT, '.tmp', `tk-migcfg-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'timescale-testkit.config.ts'),
    `import { commandMigrator, defineConfig } from ${JSON.stringify(SOURCE)};\n${extra}\nexport default defineConfig({ migrations: ${expression} });\n`,
  );
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

const MIGRATOR = `commandMigrator({ command: [process.execPath, 'apply.mjs'], files: 'apply.mjs', cwd: import.meta.dirname })`;
const APPLY = `import pg from ${JSON.stringify(join(ROOT, 'node_modules', 'pg', 'lib', 'index.js'))};
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query('CREATE TABLE IF NOT EXISTS from_config_migrator (id int)');
await client.end();
console.log('applied by the config migrator');
`;

describe('config `migrations` as a Migrator', () => {
  it('is loaded from the config file and inline options; a wrong shape is a ConfigError naming the file', async () => {
    await using file = await project(MIGRATOR);
    const config = await loadConfig(file.dir);
    expect(typeof config.migrations).toBe('object');
    expect((config.migrations as { name?: string }).name).toMatch(/^command .*apply\.mjs$/);
    const inline = functionMigrator({ hashExtra: 'v1', migrate: () => undefined });
    expect((await loadConfig(file.dir, { migrations: inline })).migrations).toBe(inline);
    await using bad = await project(`{ hash: () => 'x' }`);
    const error = await loadConfig(bad.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('timescale-testkit.config.ts is an object with hash, not a Migrator');
    const folderOptions = await loadConfig(file.dir, { migrations: { dir: 'db' } as never });
    expect((folderOptions.migrations as { name?: string }).name).toBe(`folder ${join(file.dir, 'db')}`);
  });

  it('builds the run template through the harness (the vitest and jest global setups)', async () => {
    await using file = await project(MIGRATOR);
    await writeFile(join(file.dir, 'apply.mjs'), APPLY);
    const run = await prepareRun(file.dir, { url: serverUrl() });
    try {
      expect(run.server).toBeUndefined();
      const { Template } = await import('../../src/isolation/index.js');
      const template = Template.attach(run.handOver.serverUrl, run.handOver.template, { runId: run.handOver.runId });
      await using db = await template.clone();
      expect((await db.query('SELECT count(*)::int AS n FROM from_config_migrator')).rows[0]).toEqual({ n: 0 });
      await template.close();
    } finally {
      await run.teardown();
    }
  });

  it('is what `timescale-testkit migrate` runs without --dir; folder flags are then a usage error', async () => {
    await using file = await project(MIGRATOR);
    await writeFile(join(file.dir, 'apply.mjs'), APPLY);
    const db = await scratchDatabase('mig_cli_migrator');
    try {
      const { code, out, err } = await cli(['migrate', '--url', db.url], { cwd: file.dir });
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^migrated ${db.name} with command .*apply\\.mjs \\(hash [0-9a-f]{12}\\)$`));
      expect(err).toMatch(/^✓ migrated with command/m);
      expect(await existing(db.url, ['from_config_migrator'])).toEqual(['from_config_migrator']);
      const flags = await cli(['migrate', '--url', db.url, '--table', 'x'], { cwd: file.dir });
      expect(flags.code).toBe(2);
      expect(flags.err).toContain('--table applies to a migrations folder');
    } finally {
      await db.drop();
    }
  });

  it('on the CLI, a failing command prints the tool’s output under the fix line', async () => {
    await using file = await project(
      `commandMigrator({ command: [process.execPath, '-e', "console.error('boom: relation exists'); process.exit(2)"], files: 'timescale-testkit.config.ts', cwd: import.meta.dirname })`,
    );
    const db = await scratchDatabase('mig_cli_fail');
    try {
      const { code, err } = await cli(['migrate', '--url', db.url], { cwd: file.dir });
      expect(code).toBe(1);
      const lines = err.split('\n');
      expect(lines[0]).toMatch(/^error: Migration command `.*` exited with code 2 while migrating database /);
      expect(lines[1]).toMatch(/^fix: correct what the tool’s output below names/);
      expect(err).toContain('  boom: relation exists');
    } finally {
      await db.drop();
    }
  });
});
