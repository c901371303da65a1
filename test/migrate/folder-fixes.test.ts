import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/index.js';
import { hashMigrations } from '../../src/migrate/index.js';
import { loadPlan } from '../../src/migrate/load.js';
import { scratchDatabase } from '../support/server.js';
import { existing, folder, formatError, ledgerVersions } from './support.js';

const PER_ENGINE = {
  '20240101000000_init/postgres.sql': 'CREATE TABLE engine_a (id int);\n',
  '20240101000000_init/sqlite3.sql': 'CREATE TABLE engine_a (id INTEGER);\n',
  '20240102000000_more/postgres.sql': 'CREATE TABLE engine_b (id int);\n',
  '20240102000000_more/sqlite3.sql': 'CREATE TABLE engine_b (id INTEGER);\n',
};

describe('an explicit format that selects no migration', () => {
  it('is a MigrationFormatError naming what the format looks for and what the folder holds', async () => {
    const dir = await folder(PER_ENGINE);
    for (const format of ['goose', 'prisma', 'plain', 'golang-migrate', 'dbmate', 'flyway', 'drizzle'] as const) {
      const e = await formatError(loadPlan(dir, format));
      expect(e.message).toContain(`format ${format} selects no migration`);
      expect(e.seen).toEqual(['20240101000000_init/', '20240102000000_more/']);
    }
    const goose = await formatError(loadPlan(dir, 'goose'));
    expect(goose.message).toContain('looks for NNN_name.sql files with a "-- +goose Up" line');
    // the folder is one folder per migration, one file per engine: the fix names the files option
    expect(goose.fix).toContain("files: '*/postgres.sql'");
    expect(goose.message).toContain("files: '*/postgres.sql'");
    await formatError(hashMigrations(dir, { format: 'goose' }));
  });

  it('on a folder of JavaScript migrations points at the command and function migrators', async () => {
    const dir = await folder({ '1700000000000_init.js': 'exports.up = () => {};\n' });
    const plain = await formatError(loadPlan(dir, 'plain'));
    expect(plain.message).toContain('format plain selects no migration');
    expect(plain.seen).toEqual(['1700000000000_init.js']);
    expect(plain.fix).toMatch(/commandMigrator|functionMigrator/);
    const auto = await formatError(loadPlan(dir));
    expect(auto.fix).toMatch(/commandMigrator|functionMigrator/);
  });

  it('is an error too when only files the format ignores are present', async () => {
    const dir = await folder({ '1_a.down.sql': 'DROP TABLE a;\n' });
    const e = await formatError(loadPlan(dir, 'golang-migrate'));
    expect(e.seen).toEqual(['1_a.down.sql']);
  });
});

describe('the saw: list', () => {
  it('says how many entries it left out', async () => {
    const files = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`note_${i}.txt`, 'x']));
    const e = await formatError(loadPlan(await folder(files)));
    expect(e.seen).toHaveLength(25);
    const listed = e.message.split('\n').filter((line) => line.startsWith('  - '));
    expect(listed).toHaveLength(21);
    expect(listed.at(-1)).toBe('  - ... and 5 more');
    expect(e.listed).toHaveLength(21);
  });
});

describe('symbolic links', () => {
  it('are followed for files and folders; a link that points nowhere is an error naming it', async () => {
    const real = await folder({
      '001_init.sql': 'CREATE TABLE linked_a (id int);\n',
      'p/migration.sql': 'CREATE TABLE linked_p (id int);\n',
    });
    const dir = await folder({});
    await symlink(join(real, '001_init.sql'), join(dir, '001_init.sql'));
    const plan = await loadPlan(dir);
    expect([plan.format, plan.migrations.map((m) => m.file)]).toEqual(['plain', ['001_init.sql']]);

    const prisma = await folder({ 'migration_lock.toml': 'provider = "postgresql"\n' });
    await symlink(join(real, 'p'), join(prisma, '20240101000000_init'));
    const linked = await loadPlan(prisma);
    expect([linked.format, linked.migrations.map((m) => m.file)]).toEqual([
      'prisma',
      ['20240101000000_init/migration.sql'],
    ]);

    await symlink(join(real, 'gone.sql'), join(dir, '002_gone.sql'));
    const e = await formatError(loadPlan(dir));
    expect(e.message).toContain('002_gone.sql');
    expect(e.message).toContain(join(real, 'gone.sql'));
    expect(e.seen).toEqual(['002_gone.sql']);
  });
});

describe('the files option', () => {
  it('takes one file per migration folder for per-engine layouts, applied in folder order', async () => {
    const dir = await folder(PER_ENGINE);
    const plan = await loadPlan(dir, 'auto', '*/postgres.sql');
    expect(plan.format).toBe('plain');
    expect(plan.migrations.map((m) => [m.version, m.file])).toEqual([
      ['20240101000000_init', '20240101000000_init/postgres.sql'],
      ['20240102000000_more', '20240102000000_more/postgres.sql'],
    ]);
    const db = await scratchDatabase('mig_files');
    try {
      const report = await migrate(db.url, { dir, files: '*/postgres.sql' });
      expect(report.applied.map((m) => m.version)).toEqual(['20240101000000_init', '20240102000000_more']);
      expect(await existing(db.url, ['engine_a', 'engine_b'])).toEqual(['engine_a', 'engine_b']);
      expect(await ledgerVersions(db.url)).toEqual(['20240101000000_init', '20240102000000_more']);
      expect((await migrate(db.url, { dir, files: '*/postgres.sql' })).applied).toEqual([]);
    } finally {
      await db.drop();
    }
    expect(await hashMigrations(dir, { files: '*/postgres.sql' })).not.toBe(
      await hashMigrations(dir, { files: '*/sqlite3.sql' }),
    );
  });

  it('reads each selected file in the given format (goose annotations per folder)', async () => {
    const dir = await folder({
      '00001_init/postgres.sql': '-- +goose Up\nCREATE TABLE g (id int);\n-- +goose Down\nDROP TABLE g;\n',
      '00001_init/mysql.sql': '-- +goose Up\nCREATE TABLE g (id int);\n',
    });
    const plan = await loadPlan(dir, 'auto', '*/postgres.sql');
    expect([plan.format, plan.migrations.map((m) => [m.version, m.file])]).toEqual([
      'goose',
      [['1', '00001_init/postgres.sql']],
    ]);
  });

  it('refuses a pattern that matches nothing or two files of one migration folder', async () => {
    const dir = await folder(PER_ENGINE);
    const none = await formatError(loadPlan(dir, 'auto', '*/mysql.sql'));
    expect(none.message).toContain('files pattern "*/mysql.sql" matches no file');
    const two = await formatError(loadPlan(dir, 'auto', '*/*.sql'));
    expect(two.message).toContain('20240101000000_init');
    expect(two.seen).toEqual(['20240101000000_init/postgres.sql', '20240101000000_init/sqlite3.sql']);
  });

  it('follows symlinked migration folders', async () => {
    const real = await folder({ 'postgres.sql': 'SELECT 1;\n' });
    const dir = await folder({});
    await mkdir(join(dir, 'unused'));
    await symlink(real, join(dir, '1_linked'));
    const plan = await loadPlan(dir, 'plain', '*/postgres.sql');
    expect(plan.migrations.map((m) => m.file)).toEqual(['1_linked/postgres.sql']);
  });
});
