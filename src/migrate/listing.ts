import { createHash } from 'node:crypto';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, matchesGlob, resolve } from 'node:path';
import { MigrationFormatError } from './errors.js';
import type { Chunk, LoadedMigration } from './types.js';

export interface SourceFile {
  content: string;
  checksum: string;
}

/** The top level of a migrations folder, with its `.sql` files read once. */
export interface Listing {
  dir: string;
  /** Top-level file names (symbolic links followed); with a `files` pattern, one name per selected file. */
  files: string[];
  /** Top-level folder names (symbolic links followed); none with a `files` pattern. */
  dirs: string[];
  /** `.sql` files by listed name. */
  sql: Map<string, SourceFile>;
  /** Path relative to the folder of a listed name (a pattern's pick in a subfolder has another). */
  pathOf(name: string): string;
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

interface Entries {
  files: string[];
  dirs: string[];
}

/** A folder's entries, symbolic links followed; a link that points nowhere is a format error naming it. */
async function entriesOf(root: string, relative = ''): Promise<Entries> {
  const at = join(root, relative);
  const entries = (await readdir(at, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of entries) {
    let isFile = entry.isFile();
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const path = join(at, entry.name);
      const target = await stat(path).catch(() => undefined);
      if (!target) {
        const points = await readlink(path).catch(() => '?');
        const name = relative ? `${relative}/${entry.name}` : entry.name;
        throw new MigrationFormatError(
          root,
          `the symbolic link ${name} points to ${resolve(at, points)}, which does not exist`,
          [name],
          'fix or remove the link',
        );
      }
      isFile = target.isFile();
      isDir = target.isDirectory();
    }
    if (isFile) files.push(entry.name);
    else if (isDir) dirs.push(entry.name);
  }
  return { files, dirs };
}

/** `.sql` files one folder down (`<folder>/<file>.sql`), for per-engine layouts. */
export async function nestedSqlFiles(dir: string, dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const sub of dirs) {
    const { files } = await entriesOf(dir, sub).catch(() => ({ files: [] as string[] }));
    for (const file of files) if (file.toLowerCase().endsWith('.sql')) found.push(`${sub}/${file}`);
  }
  return found;
}

/** The files a `files` pattern selects (top level and one folder down), by listed name. */
async function selectFiles(dir: string, top: Entries, pattern: string): Promise<Map<string, string>> {
  const candidates = [...top.files];
  for (const sub of top.dirs) for (const file of (await entriesOf(dir, sub)).files) candidates.push(`${sub}/${file}`);
  const picked = candidates.filter((path) => matchesGlob(path, pattern)).sort();
  if (picked.length === 0) {
    throw new MigrationFormatError(dir, `the files pattern "${pattern}" matches no file`, [
      ...top.dirs.map((sub) => `${sub}/`),
      ...top.files,
    ]);
  }
  const byName = new Map<string, string>();
  for (const path of picked) {
    const slash = path.indexOf('/');
    const name = slash === -1 ? path : `${path.slice(0, slash)}.sql`;
    const other = byName.get(name);
    if (other !== undefined) {
      throw new MigrationFormatError(
        dir,
        `the files pattern "${pattern}" selects two files for migration ${name.replace(/\.sql$/, '')}; it must select one per migration folder`,
        [other, path],
        `narrow the pattern, e.g. '*/${other.slice(other.indexOf('/') + 1)}'`,
      );
    }
    byName.set(name, path);
  }
  return byName;
}

/**
 * Lists a migrations folder. With a `files` pattern (`<folder>/postgres.sql` style: one file per
 * migration folder), only the files it matches count, each listed under its folder's name
 * (`20240101_init.sql` for `20240101_init/postgres.sql`).
 */
export async function listFolder(dir: string, pattern?: string): Promise<Listing> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new MigrationFormatError(dir, 'does not exist or is not a folder');
  const top = await entriesOf(dir);
  const picked = pattern === undefined ? undefined : await selectFiles(dir, top, pattern);
  const files = picked ? [...picked.keys()] : top.files;
  const pathOf = (name: string): string => picked?.get(name) ?? name;
  const sql = new Map<string, SourceFile>();
  for (const name of files.filter((file) => file.toLowerCase().endsWith('.sql'))) {
    sql.set(name, await readSource(join(dir, pathOf(name))));
  }
  return {
    dir,
    files,
    dirs: picked ? [] : top.dirs,
    sql,
    pathOf,
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
    file: listing.pathOf(init.file),
    path: join(listing.dir, listing.pathOf(init.file)),
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
