import { makeMigration, naturalCompare } from '../listing.js';
import type { FormatReader } from './reader.js';

const FILE = /^(\d+)_(.*)\.(up|down)\.sql$/;

/** golang-migrate: `NNN_name.up.sql` applied in version order (versions are numbers); `.down.sql` files are ignored. */
export const golangMigrate: FormatReader = {
  format: 'golang-migrate',
  lookingFor: 'NNN_name.up.sql files',
  detect: async (listing) => [...listing.sql.keys()].filter((file) => FILE.test(file)),
  load: async (listing) =>
    [...listing.sql.entries()]
      .map(([file, source]) => ({ file, source, match: FILE.exec(file) }))
      .filter((entry) => entry.match?.[3] === 'up')
      .sort((a, b) => naturalCompare(a.file, b.file))
      .map(({ file, source, match }) =>
        makeMigration(listing, { version: BigInt(match?.[1] ?? 0).toString(), name: match?.[2] ?? file, file, source }),
      ),
};
