import { MigrationFormatError } from './errors.js';
import { dbmate } from './formats/dbmate.js';
import { drizzle } from './formats/drizzle.js';
import { flyway } from './formats/flyway.js';
import { golangMigrate } from './formats/golang-migrate.js';
import { goose } from './formats/goose.js';
import { plain } from './formats/plain.js';
import { prisma } from './formats/prisma.js';
import type { FormatReader } from './formats/reader.js';
import { assertUniqueVersions, type Listing, listFolder, nestedSqlFiles } from './listing.js';
import { MIGRATION_FORMATS, type MigrationFormat, type MigrationPlan } from './types.js';

const READERS: Record<MigrationFormat, FormatReader> = {
  plain,
  'golang-migrate': golangMigrate,
  dbmate,
  goose,
  flyway,
  prisma,
  drizzle,
};

function sample(files: string[]): string {
  return files.length > 3 ? `${files.slice(0, 3).join(', ')}, ... (${files.length} files)` : files.join(', ');
}

const SCRIPT = /\.(?:[cm]?js|[cm]?ts)$/i;

/** The most frequent file name among `<folder>/<file>.sql` paths (`postgres.sql`), if any. */
function commonFileName(nested: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const path of nested) {
    const name = path.slice(path.indexOf('/') + 1);
    if (name !== 'migration.sql') counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best?.[0];
}

/** What to do about a folder that yields no migration: the files option, a migrator, or the format. */
async function emptyFolderFix(listing: Listing): Promise<string> {
  const perEngine = commonFileName(await nestedSqlFiles(listing.dir, listing.dirs));
  if (perEngine) {
    return (
      `the migrations are one folder each with a file per engine: pass files: '*/${perEngine}' ` +
      `(CLI: --files '*/${perEngine}') to take one file per migration folder`
    );
  }
  if (listing.files.some((file) => SCRIPT.test(file))) {
    return (
      'these look like JavaScript/TypeScript migrations (node-pg-migrate, knex, kysely, TypeORM, ...), which the ' +
      'folder runner does not run: use commandMigrator({ command, files }) or functionMigrator({ migrate, files }) ' +
      '(README "Migration tools")'
    );
  }
  return 'point the migrations option (CLI: --dir) at the folder that holds the migrations, or pass the format it uses';
}

function entriesOf(listing: Listing): string[] {
  return [...listing.dirs.map((dir) => `${dir}/`), ...listing.files];
}

/** The one format the folder's files point at; plain `.sql` files when none does. */
export async function detectFormat(listing: Listing): Promise<MigrationFormat> {
  const hits: { format: MigrationFormat; files: string[] }[] = [];
  for (const reader of Object.values(READERS)) {
    if (reader === plain) continue;
    const files = await reader.detect(listing);
    if (files.length > 0) hits.push({ format: reader.format, files });
  }
  if (hits.length > 1) {
    throw new MigrationFormatError(
      listing.dir,
      `matches several migration formats; pass format explicitly (one of ${MIGRATION_FORMATS.join(', ')})`,
      hits.map((hit) => `${hit.format}: ${sample(hit.files)}`),
    );
  }
  if (hits[0]) return hits[0].format;
  if (listing.sql.size > 0) return 'plain';
  const entries = entriesOf(listing);
  throw new MigrationFormatError(
    listing.dir,
    'holds no migrations (no .sql files, no <name>/migration.sql folders)',
    entries.length > 0 ? entries : ['(empty folder)'],
    await emptyFolderFix(listing),
  );
}

/**
 * Reads the folder into the ordered migrations of its (given or detected) format. `files`
 * (e.g. `*\/postgres.sql`) picks one file per migration folder. A format that selects no
 * migration is a {@link MigrationFormatError}: an empty plan would build an empty template.
 */
export async function loadPlan(
  dir: string,
  format: MigrationFormat | 'auto' = 'auto',
  files?: string,
): Promise<MigrationPlan> {
  if (format !== 'auto' && !MIGRATION_FORMATS.includes(format)) {
    throw new MigrationFormatError(dir, `unknown format "${String(format)}"`, [...MIGRATION_FORMATS]);
  }
  const listing = await listFolder(dir, files);
  const chosen = format === 'auto' ? await detectFormat(listing) : format;
  const migrations = await READERS[chosen].load(listing);
  if (migrations.length === 0) {
    const entries = entriesOf(listing);
    throw new MigrationFormatError(
      dir,
      `format ${chosen} selects no migration: it looks for ${READERS[chosen].lookingFor}` +
        (files === undefined ? '' : ` among the files "${files}" matches`),
      entries.length > 0 ? entries : ['(empty folder)'],
      await emptyFolderFix(listing),
    );
  }
  assertUniqueVersions(dir, migrations);
  return { format: chosen, dir, migrations };
}
