import { MigrationFormatError } from '../errors.js';
import { makeMigration, naturalCompare } from '../listing.js';
import type { FormatReader } from './reader.js';

const FILE = /^(\d+)_?(.*)\.sql$/;
const UP = /^--\s*migrate:up(?:[ \t]+(.*))?[ \t]*\r?$/m;
const DOWN = /^--\s*migrate:down\b.*$/m;

/** dbmate: `-- migrate:up [transaction:false]` ... `-- migrate:down`; only the up block runs. */
export const dbmate: FormatReader = {
  format: 'dbmate',
  lookingFor: 'NNN_name.sql files with a "-- migrate:up" line',
  detect: async (listing) => [...listing.sql].filter(([, source]) => UP.test(source.content)).map(([file]) => file),
  load: async (listing) => {
    const files = [...listing.sql.entries()].filter(([file]) => FILE.test(file));
    const missing = files.filter(([, source]) => !UP.test(source.content)).map(([file]) => file);
    if (missing.length > 0) {
      throw new MigrationFormatError(listing.dir, 'dbmate migrations need a "-- migrate:up" line', missing);
    }
    return files
      .sort(([a], [b]) => naturalCompare(a, b))
      .map(([file, source]) => {
        const match = FILE.exec(file);
        const up = UP.exec(source.content) as RegExpExecArray;
        const options = (up[1] ?? '').trim().split(/\s+/);
        const start = up.index + up[0].length;
        const rest = source.content.slice(start);
        const down = DOWN.exec(rest);
        const text = down ? rest.slice(0, down.index) : rest;
        return makeMigration(listing, {
          version: match?.[1] ?? file,
          name: match?.[2] ?? file,
          file,
          source,
          chunks: [{ text, offset: start, split: true }],
          noTransaction: options.includes('transaction:false') ? '-- migrate:up transaction:false' : null,
        });
      });
  },
};
