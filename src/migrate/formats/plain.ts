import { makeMigration, naturalCompare } from '../listing.js';
import type { FormatReader } from './reader.js';

/** Ordered `.sql` files, in natural order (`2_x.sql` before `10_x.sql`). */
export const plain: FormatReader = {
  format: 'plain',
  lookingFor: '.sql files',
  detect: async (listing) => [...listing.sql.keys()],
  load: async (listing) =>
    [...listing.sql.entries()]
      .sort(([a], [b]) => naturalCompare(a, b))
      .map(([file, source]) => {
        const base = file.replace(/\.sql$/i, '');
        return makeMigration(listing, { version: base, name: base, file, source });
      }),
};
