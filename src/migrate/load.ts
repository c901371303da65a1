import { MigrationFormatError } from './errors.js';
import { dbmate } from './formats/dbmate.js';
import { drizzle } from './formats/drizzle.js';
import { flyway } from './formats/flyway.js';
import { golangMigrate } from './formats/golang-migrate.js';
import { goose } from './formats/goose.js';
import { plain } from './formats/plain.js';
import { prisma } from './formats/prisma.js';
import type { FormatReader } from './formats/reader.js';
import { assertUniqueVersions, type Listing, listFolder } from './listing.js';
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
  const entries = [...listing.dirs.map((dir) => `${dir}/`), ...listing.files];
  throw new MigrationFormatError(
    listing.dir,
    'holds no migrations (no .sql files, no <name>/migration.sql folders)',
    entries.length > 0 ? entries.slice(0, 20) : ['(empty folder)'],
  );
}

/** Reads the folder into the ordered migrations of its (given or detected) format. */
export async function loadPlan(dir: string, format: MigrationFormat | 'auto' = 'auto'): Promise<MigrationPlan> {
  if (format !== 'auto' && !MIGRATION_FORMATS.includes(format)) {
    throw new MigrationFormatError(dir, `unknown format "${String(format)}"`, [...MIGRATION_FORMATS]);
  }
  const listing = await listFolder(dir);
  const chosen = format === 'auto' ? await detectFormat(listing) : format;
  const migrations = await READERS[chosen].load(listing);
  assertUniqueVersions(dir, migrations);
  return { format: chosen, dir, migrations };
}
