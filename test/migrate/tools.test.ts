import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createTemplate, MigrationCommandError, type Migrator } from '../../src/index.js';
import { templateName } from '../../src/isolation/index.js';
import { migratorHash } from '../../src/migrate/index.js';
import { serverUrl } from '../support/server.js';
import {
  databaseExists,
  dropTemplate,
  ROOT,
  recipeSchema,
  TOOL_TIMEOUT_MS,
  TOOLS,
  toolProject,
} from './tools-support.js';

interface Recipe {
  tool: string;
  config: string;
  prefix: string;
  migration: string;
}

const RECIPES: Recipe[] = [
  {
    tool: 'node-pg-migrate',
    config: 'timescale-testkit.config.ts',
    prefix: 'pgm',
    migration: 'migrations/1700000000000_ticks.js',
  },
  {
    tool: 'node-pg-migrate',
    config: 'function.config.ts',
    prefix: 'pgm',
    migration: 'migrations/1700000000000_ticks.js',
  },
  {
    tool: 'knex',
    config: 'timescale-testkit.config.ts',
    prefix: 'knex',
    migration: 'migrations/20240101000000_ticks.js',
  },
  { tool: 'knex', config: 'function.config.ts', prefix: 'knex', migration: 'migrations/20240101000000_ticks.js' },
  {
    tool: 'kysely',
    config: 'timescale-testkit.config.ts',
    prefix: 'kysely',
    migration: 'migrations/2024_01_01_ticks.js',
  },
  { tool: 'drizzle', config: 'timescale-testkit.config.ts', prefix: 'drizzle', migration: 'drizzle/0000_ticks.sql' },
];

/** The recipe's migrator, loaded as the kit loads it: the config file, or the file's default export. */
async function recipeMigrator(dir: string, config: string): Promise<Migrator> {
  const loaded =
    config === 'timescale-testkit.config.ts'
      ? (await loadConfig(dir)).migrations
      : ((await import(join(dir, config))) as { default: { migrations: Migrator } }).default.migrations;
  if (typeof loaded === 'string') throw new Error(`${config} configures a folder, not a migrator`);
  return loaded;
}

/** The template of the migrator's hash, dropped first if an earlier run left it. */
async function freshTemplate(migrator: Migrator) {
  const name = templateName(await migratorHash(migrator));
  if (await databaseExists(name)) {
    await dropTemplate(await createTemplate(serverUrl(), { migrations: migrator, runId: 'tooltest' }));
  }
  return createTemplate(serverUrl(), { migrations: migrator, runId: 'tooltest' });
}

describe.each(RECIPES)(
  'the $tool recipe ($config)',
  { timeout: TOOL_TIMEOUT_MS },
  ({ tool, config, prefix, migration }) => {
    it('builds the template once (a hypertable, a vector column), finds it again, and rehashes on an edit', async () => {
      await using project = await toolProject(tool);
      const migrator = await recipeMigrator(project.dir, config);
      const template = await freshTemplate(migrator);
      try {
        expect(template.built).toBe(true);
        expect(await recipeSchema(template, prefix)).toEqual({ hypertable: true, embedding: 'vector(3)' });
        const again = await createTemplate(serverUrl(), { migrations: migrator, runId: 'tooltest' });
        expect([again.name, again.built]).toEqual([template.name, false]);
        await again.close();
        const before = await migratorHash(migrator);
        await appendFile(join(project.dir, migration), migration.endsWith('.sql') ? '\n-- edited\n' : '\n// edited\n');
        expect(await migratorHash(migrator)).not.toBe(before);
      } finally {
        await dropTemplate(template);
      }
    });

    it('is shown in the README exactly as tested', async () => {
      const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
      expect(readme).toContain((await readFile(join(TOOLS, tool, config), 'utf8')).trim());
    });
  },
);

describe('a failing migration tool', { timeout: TOOL_TIMEOUT_MS }, () => {
  const BROKEN =
    "export async function up(knex) {\n  await knex.raw('CREATE TABL broken (id int)');\n}\nexport async function down() {}\n";

  it('through the command migrator is a MigrationCommandError with exit code and output; no template is left', async () => {
    await using project = await toolProject('knex');
    await writeFile(join(project.dir, 'migrations', '20240102000000_broken.js'), BROKEN);
    const migrator = await recipeMigrator(project.dir, 'timescale-testkit.config.ts');
    const name = templateName(await migratorHash(migrator));
    const error = await createTemplate(serverUrl(), { migrations: migrator }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationCommandError);
    const failure = error as MigrationCommandError;
    expect([failure.code, failure.exitCode, failure.command]).toEqual([
      'MIGRATION_COMMAND_FAILED',
      1,
      'npx knex migrate:latest',
    ]);
    expect(failure.output).toContain('syntax error at or near "TABL"');
    expect(failure.message).toContain(`exited with code 1 while migrating database ${name}`);
    expect(failure.message).toContain('  | ');
    expect(await databaseExists(name)).toBe(false);
  });

  it('through a function migrator throws the tool’s own error; no template is left', async () => {
    await using project = await toolProject('knex');
    await writeFile(join(project.dir, 'migrations', '20240102000000_broken.js'), BROKEN);
    const migrator = await recipeMigrator(project.dir, 'function.config.ts');
    const name = templateName(await migratorHash(migrator));
    const error = await createTemplate(serverUrl(), { migrations: migrator }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('syntax error at or near "TABL"');
    expect(await databaseExists(name)).toBe(false);
  });
});
