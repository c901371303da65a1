import { MigrationFormatError } from '../errors.js';
import { makeMigration, naturalCompare } from '../listing.js';
import type { Chunk } from '../types.js';
import type { FormatReader } from './reader.js';

const FILE = /^(\d+)_(.+)\.sql$/;
const GO_FILE = /^\d+_.+\.go$/;
const UP = /^--\s*\+goose\s+up\b/im;
const ANNOTATION = /^--\s*\+goose\s+(.+?)\s*$/i;

interface Parsed {
  chunks: Chunk[];
  hasUp: boolean;
  noTransaction: boolean;
}

/** The Up section's pieces: plain runs are split on semicolons, StatementBegin/End blocks are not. */
export function parseGoose(content: string): Parsed {
  const chunks: Chunk[] = [];
  let section: 'none' | 'up' | 'down' = 'none';
  let block = false;
  let hasUp = false;
  let noTransaction = false;
  let runStart = -1;
  const close = (end: number): void => {
    if (runStart >= 0) chunks.push({ text: content.slice(runStart, end), offset: runStart, split: !block });
    runStart = -1;
  };
  let offset = 0;
  for (const line of content.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const annotation = ANNOTATION.exec(line.trim());
    if (!annotation) {
      if (section === 'up' && runStart < 0) runStart = lineStart;
      continue;
    }
    close(lineStart);
    const command = (annotation[1] as string).toLowerCase().replace(/\s+/g, ' ');
    if (command === 'up') {
      section = 'up';
      hasUp = true;
    } else if (command === 'down') {
      section = 'down';
    } else if (command === 'statementbegin') {
      block = true;
    } else if (command === 'statementend') {
      block = false;
    } else if (command === 'no transaction') {
      noTransaction = true;
    }
  }
  close(content.length);
  return { chunks, hasUp, noTransaction };
}

/** goose: `-- +goose Up` / `Down`, `StatementBegin` / `StatementEnd`, `-- +goose NO TRANSACTION`. */
export const goose: FormatReader = {
  format: 'goose',
  lookingFor: 'NNN_name.sql files with a "-- +goose Up" line',
  detect: async (listing) => [...listing.sql].filter(([, source]) => UP.test(source.content)).map(([file]) => file),
  load: async (listing) => {
    const goFiles = listing.files.filter((file) => GO_FILE.test(file));
    if (goFiles.length > 0) {
      throw new MigrationFormatError(
        listing.dir,
        'goose Go migrations cannot be applied by timescale-testkit',
        goFiles,
      );
    }
    const files = [...listing.sql.entries()].filter(([file]) => FILE.test(file));
    const parsed = files.map(([file, source]) => ({ file, source, ...parseGoose(source.content) }));
    const missing = parsed.filter((entry) => !entry.hasUp).map((entry) => entry.file);
    if (missing.length > 0) {
      throw new MigrationFormatError(listing.dir, 'goose migrations need a "-- +goose Up" line', missing);
    }
    return parsed
      .sort((a, b) => naturalCompare(a.file, b.file))
      .map(({ file, source, chunks, noTransaction }) => {
        const match = FILE.exec(file);
        return makeMigration(listing, {
          version: BigInt(match?.[1] ?? 0).toString(),
          name: match?.[2] ?? file,
          file,
          source,
          chunks,
          noTransaction: noTransaction ? '-- +goose NO TRANSACTION' : null,
        });
      });
  },
};
