import { rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashMigrations } from '../../src/migrate/index.js';
import { loadPlan } from '../../src/migrate/load.js';
import { FIXTURES, folder, formatError, writeFiles } from './support.js';

describe('format detection', () => {
  it('refuses an ambiguous folder and lists what it saw', async () => {
    const dir = await folder({
      '001_init.up.sql': 'SELECT 1;',
      'V2__more.sql': 'SELECT 2;',
      '003_x.sql': '-- +goose Up\nSELECT 3;',
    });
    const e = await formatError(loadPlan(dir));
    expect(e.code).toBe('MIGRATION_FORMAT');
    expect(e.seen).toEqual(['golang-migrate: 001_init.up.sql', 'goose: 003_x.sql', 'flyway: V2__more.sql']);
    expect(e.message).toContain('pass format explicitly');
    const plan = await loadPlan(dir, 'flyway');
    expect(plan.migrations.map((m) => m.file)).toEqual(['V2__more.sql']);
  });

  it('refuses a missing folder, an empty one, one without migrations, and an unknown format', async () => {
    await formatError(loadPlan(join(FIXTURES, 'no-such-folder')));
    expect((await formatError(loadPlan(await folder({})))).seen).toEqual(['(empty folder)']);
    expect((await formatError(loadPlan(await folder({ 'notes.txt': 'x', 'sub/a.txt': 'y' })))).seen).toEqual([
      'sub/',
      'notes.txt',
    ]);
    // an explicit format that selects nothing is refused too: it would build an empty template
    expect((await formatError(loadPlan(await folder({}), 'plain'))).seen).toEqual(['(empty folder)']);
    // @ts-expect-error an unknown format from untyped configuration
    await formatError(loadPlan(await folder({}), 'liquibase'));
  });

  it("enforces each format's own rules", async () => {
    const dbmate = await folder({ '1_a.sql': '-- migrate:up\nSELECT 1;', '2_b.sql': 'SELECT 2;' });
    expect((await formatError(loadPlan(dbmate))).seen).toEqual(['2_b.sql']);
    const goose = await folder({ '1_a.sql': '-- +goose Up\nSELECT 1;', '2_b.sql': 'SELECT 2;' });
    expect((await formatError(loadPlan(goose))).seen).toEqual(['2_b.sql']);
    const gooseGo = await folder({ '1_a.sql': '-- +goose Up\nSELECT 1;', '2_b.go': 'package migrations' });
    expect((await formatError(loadPlan(gooseGo))).seen).toEqual(['2_b.go']);
    const duplicate = await folder({ '1_a.up.sql': 'SELECT 1;', '01_b.up.sql': 'SELECT 2;' });
    expect((await formatError(loadPlan(duplicate))).seen).toEqual(['1_a.up.sql', '01_b.up.sql']);
    const flyway = await folder({ 'V1__a.sql': 'SELECT 1;', 'V1.0__b.sql': 'SELECT 2;' });
    expect((await formatError(loadPlan(flyway, 'flyway'))).seen).toEqual(['V1.0__b.sql', 'V1__a.sql']);
  });

  it('reads drizzle folders with and without a journal', async () => {
    const noJournal = await folder({
      '0001_b.sql': 'SELECT 2;',
      '0000_a.sql': 'SELECT 1;--> statement-breakpoint\nSELECT 1;',
    });
    const plan = await loadPlan(noJournal);
    expect([plan.format, plan.migrations.map((m) => m.version)]).toEqual(['drizzle', ['0000', '0001']]);

    const journal = (tags: string[]): string =>
      JSON.stringify({ entries: tags.map((tag, idx) => ({ idx, tag, when: idx, breakpoints: true })) });
    const ordered = await folder({
      '0000_a.sql': 'SELECT 1;',
      '0001_b.sql': 'SELECT 2;',
      'meta/_journal.json': journal(['0001_b', '0000_a']),
    });
    expect((await loadPlan(ordered)).migrations.map((m) => m.file)).toEqual(['0001_b.sql', '0000_a.sql']);

    const missing = await folder({ '0000_a.sql': 'SELECT 1;', 'meta/_journal.json': journal(['0000_a', '0001_gone']) });
    expect((await formatError(loadPlan(missing))).seen).toEqual(['0001_gone.sql']);
    await formatError(loadPlan(await folder({ 'meta/_journal.json': '{ nope' })));
    await formatError(loadPlan(await folder({ 'meta/_journal.json': '{"entries": [{"idx": 0}]}' })));
  });

  it('keeps the tool-specific directives', async () => {
    const plan = await loadPlan(join(FIXTURES, 'migrations-dbmate'));
    expect(plan.migrations.map((m) => m.noTransaction)).toEqual([null, null, '-- migrate:up transaction:false']);
    const goose = await loadPlan(join(FIXTURES, 'migrations-goose'));
    expect(goose.migrations.map((m) => m.noTransaction)).toEqual([null, null, '-- +goose NO TRANSACTION']);
  });
});

describe('hashMigrations', () => {
  it('is stable across timestamps and files the format ignores, and follows content, names and format', async () => {
    const dir = await folder({
      '000001_a.up.sql': 'CREATE TABLE a (id int);\n',
      '000001_a.down.sql': 'DROP TABLE a;\n',
      '000002_b.up.sql': 'CREATE TABLE b (id int);\n',
    });
    const first = await hashMigrations(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    await utimes(join(dir, '000001_a.up.sql'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await writeFiles(dir, { '000002_b.down.sql': 'DROP TABLE b;\n', 'README.md': '# notes\n' });
    expect(await hashMigrations(dir, { format: 'auto' })).toBe(first);
    expect(await hashMigrations(dir, { format: 'golang-migrate' })).toBe(first);
    expect(await hashMigrations(dir, { format: 'plain' })).not.toBe(first);

    await writeFile(join(dir, '000002_b.up.sql'), 'CREATE TABLE b (id bigint);\n');
    const edited = await hashMigrations(dir);
    expect(edited).not.toBe(first);
    await rm(join(dir, '000002_b.up.sql'));
    await writeFile(join(dir, '000003_b.up.sql'), 'CREATE TABLE b (id bigint);\n');
    expect(await hashMigrations(dir)).not.toBe(edited);
  });

  it('is the same for equal folders in different places', async () => {
    const files = { '1_a.sql': 'SELECT 1;\n', '2_b.sql': 'SELECT 2;\n' };
    expect(await hashMigrations(await folder(files))).toBe(await hashMigrations(await folder(files)));
  });
});
