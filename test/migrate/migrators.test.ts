import { randomBytes } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import {
  commandMigrator,
  createTemplate,
  folderMigrator,
  functionMigrator,
  MigrationCommandError,
  MigrationCommandNotFoundError,
  MigrationCommandTimeoutError,
  type Migrator,
} from '../../src/index.js';
import { templateName } from '../../src/isolation/index.js';
import { hashMigrations, isMigrationReport, migratorHash, toMigrator } from '../../src/migrate/index.js';
import { scratchDatabase, serverUrl } from '../support/server.js';
import { existing, folder } from './support.js';
import { databaseExists, dropTemplate } from './tools-support.js';

const node = process.execPath;

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => error,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the Migrator shape', () => {
  it('is checked where migrations are given: a wrong shape is a ConfigError saying what is missing', async () => {
    const noMigrate = await failure(
      createTemplate(serverUrl(), { migrations: { hash: () => 'x' } as unknown as Migrator }),
    );
    expect(noMigrate).toBeInstanceOf(ConfigError);
    expect((noMigrate as Error).message).toContain(
      'createTemplate: migrations is an object with hash, not a Migrator: migrate() is missing',
    );
    const noHash = await failure(
      createTemplate(serverUrl(), { migrations: { migrate: async () => undefined } as unknown as Migrator }),
    );
    expect((noHash as Error).message).toContain('hash() is missing');
    const empty = await failure(createTemplate(serverUrl(), { migrations: {} as unknown as Migrator }));
    expect((empty as Error).message).toContain('hash() and migrate() are missing');
    expect(() => toMigrator(42, 'migrations')).toThrow(/migrations is number 42: give a migrations folder path/);
    expect(() => toMigrator(null, 'migrations')).toThrow(ConfigError);
    expect(() => toMigrator({ dir: 7 }, 'migrations')).toThrow(/hash\(\) and migrate\(\) are missing/);
  });

  it('needs a non-empty string hash; any string works, a hex digest keys the template as it is', async () => {
    const bad = await failure(migratorHash({ name: 'mine', hash: () => '', migrate: async () => undefined }));
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as Error).message).toContain('the migrator (mine)');
    const numeric = { hash: () => 7 as unknown as string, migrate: async () => undefined };
    await expect(migratorHash(numeric)).rejects.toThrow(/returned 7/);
    expect(await migratorHash({ hash: async () => 'A'.repeat(64), migrate: async () => undefined })).toBe(
      'a'.repeat(64),
    );
    expect(await migratorHash({ hash: () => 'v1', migrate: async () => undefined })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('builds a template from your own object, once, and drops a half-built one when migrate fails', async () => {
    const tag = randomBytes(4).toString('hex');
    let runs = 0;
    const mine: Migrator = {
      hash: () => `own-${tag}`,
      migrate: async (url) => {
        runs++;
        const db = await scratchClient(url);
        await db.query('CREATE TABLE own_thing (id int)');
        await db.end();
      },
    };
    const template = await createTemplate(serverUrl(), { migrations: mine, runId: 'owntest' });
    try {
      expect([template.built, template.report, runs]).toEqual([true, undefined, 1]);
      await using clone = await template.clone();
      expect((await clone.query('SELECT count(*)::int AS n FROM own_thing')).rows[0]).toEqual({ n: 0 });
      const again = await createTemplate(serverUrl(), { migrations: mine, runId: 'owntest' });
      expect([again.name, again.built, runs]).toEqual([template.name, false, 1]);
      await again.close();
    } finally {
      await dropTemplate(template);
    }
    const broken: Migrator = {
      hash: () => `broken-${tag}`,
      migrate: async (url) => {
        const db = await scratchClient(url);
        await db.query('CREATE TABLE half_built (id int)');
        await db.end();
        throw new Error('the tool failed half-way');
      },
    };
    await expect(createTemplate(serverUrl(), { migrations: broken })).rejects.toThrow('the tool failed half-way');
    expect(await databaseExists(templateName(await migratorHash(broken)))).toBe(false);
  });
});

async function scratchClient(url: string) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('folderMigrator', () => {
  it('hashes as hashMigrations and keeps the runner report as the template report', async () => {
    const dir = await folder({ '1_a.sql': `CREATE TABLE folder_m_${randomBytes(3).toString('hex')} (id int);\n` });
    const migrator = folderMigrator({ dir, format: 'plain' });
    expect(await migrator.hash()).toBe(await hashMigrations(dir, { format: 'plain' }));
    expect(migrator.name).toBe(`folder ${dir}`);
    const template = await createTemplate(serverUrl(), { migrations: migrator });
    try {
      expect(template.built).toBe(true);
      expect(isMigrationReport(template.report)).toBe(true);
      expect(template.report?.applied).toHaveLength(1);
      expect(template.name).toBe(templateName(await hashMigrations(dir)));
    } finally {
      await dropTemplate(template);
    }
    expect(() => folderMigrator({ dir: '' })).toThrow(/dir is missing/);
    expect(folderMigrator(dir).options).toEqual({ dir });
  });
});

describe('commandMigrator', () => {
  it('gives the command the database URL (DATABASE_URL, urlEnv, libpq variables) and its own env', async () => {
    const db = await scratchDatabase('cmd_env');
    const dir = await folder({ 'schema.txt': 'v1' });
    try {
      const out = join(dir, 'env.json');
      const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env))`;
      const migrator = commandMigrator({
        command: [node, '-e', script],
        files: 'schema.txt',
        cwd: dir,
        urlEnv: ['DATABASE_URL', 'DB_URL'],
        env: { EXTRA: 'yes', DATABASE_URL: 'overridden' },
      });
      await migrator.migrate(db.url);
      const env = JSON.parse(await readFile(out, 'utf8')) as Record<string, string>;
      const url = new URL(db.url);
      expect(env).toMatchObject({
        DATABASE_URL: db.url,
        DB_URL: db.url,
        EXTRA: 'yes',
        PGHOST: url.hostname,
        PGPORT: url.port,
        PGUSER: url.username,
        PGPASSWORD: url.password,
        PGDATABASE: db.name,
      });
      // a string runs through the shell
      const shell = commandMigrator({ command: `echo "$PGDATABASE" > shell.txt`, files: 'schema.txt', cwd: dir });
      await shell.migrate(db.url);
      expect((await readFile(join(dir, 'shell.txt'), 'utf8')).trim()).toBe(db.name);
    } finally {
      await db.drop();
    }
  });

  it('hashes the command and the files globs (paths and contents), following folders and symbolic links', async () => {
    const dir = await folder({ 'm/1.js': 'one', 'm/sub/2.js': 'two', 'cfg.js': 'c', 'm/node_modules/x.js': 'ignored' });
    const hash = (command: string[], files: string | string[] = ['m', 'cfg.js']) =>
      commandMigrator({ command, files, cwd: dir }).hash();
    const first = await hash(['tool', 'up']);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await hash(['tool', 'up'])).toBe(first);
    expect(await hash(['tool', 'up', '--verbose'])).not.toBe(first);
    expect(await hash(['tool', 'up'], ['m/**/*.js', 'cfg.js'])).toBe(first);
    await writeFile(join(dir, 'm', 'node_modules', 'x.js'), 'changed');
    expect(await hash(['tool', 'up'])).toBe(first);
    await writeFile(join(dir, 'm', 'sub', '2.js'), 'TWO');
    const edited = await hash(['tool', 'up']);
    expect(edited).not.toBe(first);
    await mkdir(join(dir, 'elsewhere'));
    await writeFile(join(dir, 'elsewhere', '3.js'), 'three');
    await symlink(join(dir, 'elsewhere'), join(dir, 'm', 'linked'));
    expect(await hash(['tool', 'up'])).not.toBe(edited);
    await expect(hash(['tool', 'up'], ['m', 'missing/*.js'])).rejects.toThrow(
      /files pattern "missing\/\*\.js" matches no file/,
    );
  });

  it('is a typed error for a command that fails, is not found, or never exits, with its output', async () => {
    const db = await scratchDatabase('cmd_fail');
    const dir = await folder({ 'x.txt': 'x' });
    try {
      const failing = commandMigrator({
        command: [
          node,
          '-e',
          "console.log('step 1 done'); console.error('relation \"t\" already exists'); process.exit(3)",
        ],
        files: 'x.txt',
        cwd: dir,
      });
      const failed = (await failure(failing.migrate(db.url))) as MigrationCommandError;
      expect(failed).toBeInstanceOf(MigrationCommandError);
      expect([failed.code, failed.exitCode, failed.signal]).toEqual(['MIGRATION_COMMAND_FAILED', 3, null]);
      expect(failed.output).toContain('step 1 done\n');
      expect(failed.output).toContain('relation "t" already exists');
      expect(failed.message).toContain(`exited with code 3 while migrating database ${db.name}`);
      expect(failed.message).not.toContain(new URL(db.url).password);

      const missing = commandMigrator({ command: ['no-such-migration-tool-x'], files: 'x.txt', cwd: dir });
      const notFound = (await failure(missing.migrate(db.url))) as MigrationCommandNotFoundError;
      expect(notFound).toBeInstanceOf(MigrationCommandNotFoundError);
      expect(notFound.code).toBe('MIGRATION_COMMAND_NOT_FOUND');
      const viaShell = commandMigrator({ command: 'no-such-migration-tool-x up', files: 'x.txt', cwd: dir });
      const shellNotFound = (await failure(viaShell.migrate(db.url))) as MigrationCommandNotFoundError;
      expect([shellNotFound.constructor, shellNotFound.exitCode]).toEqual([MigrationCommandNotFoundError, 127]);
      expect(shellNotFound.output).toContain('no-such-migration-tool-x');
    } finally {
      await db.drop();
    }
  });

  it('kills a command that outlives timeoutMs together with every process it started', async () => {
    const dir = await folder({ 'x.txt': 'x' });
    const pidFile = join(dir, 'grandchild.pid');
    const script = [
      "const { spawn } = require('child_process');",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });",
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));`,
      "console.log('waiting for a prompt answer');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const hanging = commandMigrator({ command: [node, '-e', script], files: 'x.txt', cwd: dir, timeoutMs: 4_000 });
    const error = (await failure(hanging.migrate('postgres://u:p@localhost:1/db'))) as MigrationCommandTimeoutError;
    expect(error).toBeInstanceOf(MigrationCommandTimeoutError);
    expect([error.code, error.timeoutMs]).toEqual(['MIGRATION_COMMAND_TIMEOUT', 4_000]);
    expect(error.output).toContain('waiting for a prompt answer');
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(grandchild)).toBe(false);
  });

  it('refuses a missing command, files or a bad urlEnv / timeoutMs with a ConfigError', () => {
    const base = { command: ['x'], files: 'x' };
    expect(() => commandMigrator({ files: 'x' } as never)).toThrow(/command is missing or empty/);
    expect(() => commandMigrator({ ...base, command: [] })).toThrow(ConfigError);
    expect(() => commandMigrator({ ...base, command: '  ' })).toThrow(/command is missing/);
    expect(() => commandMigrator({ command: ['x'] } as never)).toThrow(/files must be a glob or a list of globs/);
    expect(() => commandMigrator({ ...base, files: [] })).toThrow(/files must be/);
    expect(() => commandMigrator({ ...base, urlEnv: 'NOT VALID' })).toThrow(/urlEnv must name environment variables/);
    expect(() => commandMigrator({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
  });
});

describe('functionMigrator', () => {
  it('runs the function with the URL; hashes files and hashExtra; needs one of them', async () => {
    const dir = await folder({ 'migrations/1.sql': 'CREATE TABLE fn_made (id int);\n' });
    const db = await scratchDatabase('fn_m');
    try {
      let seen = '';
      const migrator = functionMigrator({
        files: 'migrations',
        cwd: dir,
        name: 'my script',
        migrate: async (url) => {
          seen = url;
          const client = await scratchClient(url);
          await client.query(await readFile(join(dir, 'migrations', '1.sql'), 'utf8'));
          await client.end();
        },
      });
      await migrator.migrate(db.url);
      expect(seen).toBe(db.url);
      expect(await existing(db.url, ['fn_made'])).toEqual(['fn_made']);
      expect(migrator.name).toBe('my script');
      const extra = (hashExtra: string) =>
        functionMigrator({ files: 'migrations', cwd: dir, hashExtra, migrate: () => undefined }).hash();
      expect(await extra('a')).not.toBe(await extra('b'));
      expect(await functionMigrator({ hashExtra: 'v1', migrate: () => undefined }).hash()).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await db.drop();
    }
    expect(() => functionMigrator({ migrate: () => undefined })).toThrow(/files is missing/);
    expect(() => functionMigrator({ files: 'x' } as never)).toThrow(/migrate is missing/);
  });
});
