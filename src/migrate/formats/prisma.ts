import { makeMigration, naturalCompare } from '../listing.js';
import type { LoadedMigration } from '../types.js';
import type { FormatReader } from './reader.js';

/** Prisma Migrate: `<timestamp>_<name>/migration.sql` folders in name order. */
export const prisma: FormatReader = {
  format: 'prisma',
  lookingFor: '<timestamp>_<name>/migration.sql folders',
  detect: async (listing) => {
    const seen: string[] = listing.files.includes('migration_lock.toml') ? ['migration_lock.toml'] : [];
    for (const dir of listing.dirs) if (await listing.exists(`${dir}/migration.sql`)) seen.push(`${dir}/migration.sql`);
    return seen;
  },
  load: async (listing) => {
    const migrations: LoadedMigration[] = [];
    for (const dir of [...listing.dirs].sort(naturalCompare)) {
      const file = `${dir}/migration.sql`;
      if (!(await listing.exists(file))) continue;
      const match = /^(\d+)_(.+)$/.exec(dir);
      const source = await listing.read(file);
      migrations.push(makeMigration(listing, { version: match?.[1] ?? dir, name: match?.[2] ?? dir, file, source }));
    }
    return migrations;
  },
};
