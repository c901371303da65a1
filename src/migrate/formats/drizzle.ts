import { MigrationFormatError } from '../errors.js';
import { makeMigration, naturalCompare } from '../listing.js';
import type { Chunk, LoadedMigration } from '../types.js';
import type { FormatReader } from './reader.js';

const FILE = /^(\d+)_(.+)\.sql$/;
const BREAKPOINT = '--> statement-breakpoint';
const JOURNAL = 'meta/_journal.json';

/** The file cut at drizzle-kit's `--> statement-breakpoint` markers. */
export function breakpointChunks(content: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  for (let at = content.indexOf(BREAKPOINT); at !== -1; at = content.indexOf(BREAKPOINT, start)) {
    chunks.push({ text: content.slice(start, at), offset: start, split: true });
    start = at + BREAKPOINT.length;
  }
  chunks.push({ text: content.slice(start), offset: start, split: true });
  return chunks;
}

async function journalTags(listing: Parameters<FormatReader['load']>[0]): Promise<string[] | undefined> {
  if (!(await listing.exists(JOURNAL))) return undefined;
  const { content } = await listing.read(JOURNAL);
  let entries: unknown;
  try {
    entries = (JSON.parse(content) as { entries?: unknown }).entries;
  } catch (error) {
    throw new MigrationFormatError(listing.dir, `${JOURNAL} is not valid JSON (${(error as Error).message})`);
  }
  const valid = (e: unknown): e is { idx: number; tag: string } =>
    typeof e === 'object' && e !== null && typeof (e as { tag?: unknown }).tag === 'string';
  if (!Array.isArray(entries) || !entries.every(valid)) {
    throw new MigrationFormatError(listing.dir, `${JOURNAL} has no "entries" list of { idx, tag }`);
  }
  return [...entries].sort((a, b) => (a.idx ?? 0) - (b.idx ?? 0)).map((entry) => entry.tag);
}

/** drizzle-kit: `NNNN_name.sql` cut at `--> statement-breakpoint`, ordered by `meta/_journal.json` when present. */
export const drizzle: FormatReader = {
  format: 'drizzle',
  lookingFor: 'NNNN_name.sql files (ordered by meta/_journal.json when present)',
  detect: async (listing) => [
    ...((await listing.exists(JOURNAL)) ? [JOURNAL] : []),
    ...[...listing.sql].filter(([, source]) => source.content.includes(BREAKPOINT)).map(([file]) => file),
  ],
  load: async (listing) => {
    const tags = await journalTags(listing);
    const files = tags
      ? tags.map((tag) => `${tag}.sql`)
      : [...listing.sql.keys()].filter((file) => FILE.test(file)).sort(naturalCompare);
    const missing = files.filter((file) => !listing.sql.has(file));
    if (missing.length > 0) throw new MigrationFormatError(listing.dir, `${JOURNAL} names missing files`, missing);
    return files.map((file): LoadedMigration => {
      const source = listing.sql.get(file) as NonNullable<ReturnType<typeof listing.sql.get>>;
      const match = FILE.exec(file);
      const base = file.replace(/\.sql$/, '');
      return makeMigration(listing, {
        version: match?.[1] ?? base,
        name: match?.[2] ?? base,
        file,
        source,
        chunks: breakpointChunks(source.content),
      });
    });
  },
};
