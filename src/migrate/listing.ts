import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationFormatError } from './errors.js';
import type { Chunk, LoadedMigration } from './types.js';

export interface SourceFile {
  content: string;
  checksum: string;
}

/** The top level of a migrations folder, with its `.sql` files read once. */
export interface Listing {
  dir: string;
  files: string[];
  dirs: string[];
  /** Top-level `.sql` files by name. */
  sql: Map<string, SourceFile>;
  read(relative: string): Promise<SourceFile>;
  exists(relative: string): Promise<boolean>;
}

async function readSource(path: string): Promise<SourceFile> {
  const bytes = await readFile(path);
  const text = bytes.toString('utf8');
  return {
    content: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    checksum: createHash('sha256').update(bytes).digest('hex'),
  };
}

export async function listFolder(dir: string): Promise<Listing> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new MigrationFormatError(dir, 'does not exist or is not a folder');
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const files = entries.filter((e) => e.isFile()).map((e) => e.name);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const sql = new Map<string, SourceFile>();
  for (const name of files.filter((file) => file.toLowerCase().endsWith('.sql'))) {
    sql.set(name, await readSource(join(dir, name)));
  }
  return {
    dir,
    files,
    dirs,
    sql,
    read: async (relative) => sql.get(relative) ?? readSource(join(dir, relative)),
    exists: async (relative) => (await stat(join(dir, relative)).catch(() => undefined)) !== undefined,
  };
}

/** Compares names so that digit runs compare as numbers: `2_a` before `10_a`. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const diff = BigInt(x) - BigInt(y);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

const NO_TRANSACTION = /^[ \t]*--[ \t]*timescale-testkit:no-transaction[ \t]*\r?$/im;

/** The kit's own directive, valid in every format. */
export function hasNoTransactionDirective(content: string): boolean {
  return NO_TRANSACTION.test(content);
}

export interface MigrationInit {
  version: string;
  name: string;
  file: string;
  source: SourceFile;
  chunks?: Chunk[];
  repeatable?: boolean;
  /** The format's own directive that turned the transaction off, if present. */
  noTransaction?: string | null;
}

export function makeMigration(listing: Listing, init: MigrationInit): LoadedMigration {
  const directive = hasNoTransactionDirective(init.source.content) ? '-- timescale-testkit:no-transaction' : null;
  return {
    version: init.version,
    name: init.name,
    file: init.file,
    path: join(listing.dir, init.file),
    content: init.source.content,
    checksum: init.source.checksum,
    repeatable: init.repeatable ?? false,
    noTransaction: init.noTransaction ?? directive,
    chunks: init.chunks ?? [{ text: init.source.content, offset: 0, split: true }],
  };
}

/** Throws when two migrations share a version. */
export function assertUniqueVersions(dir: string, migrations: readonly LoadedMigration[]): void {
  const seen = new Map<string, string>();
  for (const m of migrations) {
    const other = seen.get(m.version);
    if (other) throw new MigrationFormatError(dir, `two migrations have version ${m.version}`, [other, m.file]);
    seen.set(m.version, m.file);
  }
}
