import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { glob, readdir, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../../errors/index.js';

const IGNORED = new Set(['node_modules', '.git']);

function ignored(entry: string | Dirent): boolean {
  return IGNORED.has(typeof entry === 'string' ? basename(entry) : entry.name);
}

/** Every file under `dir` (symbolic links followed), node_modules and .git left out. */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (ignored(entry)) continue;
    const path = join(dir, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) found.push(...(await filesUnder(path)));
    else if (info?.isFile()) found.push(path);
  }
  return found;
}

/** The patterns as a list; an empty or non-string entry is a {@link ConfigError} naming `who`. */
export function patternList(who: string, files: unknown): string[] {
  const list = typeof files === 'string' ? [files] : Array.isArray(files) ? files : undefined;
  if (!list || list.length === 0 || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
    throw new ConfigError(
      `${who}: files must be a glob or a list of globs (relative to cwd) naming the files that decide the ` +
        `schema, e.g. 'migrations/*.js'; got ${JSON.stringify(files)}`,
    );
  }
  return list as string[];
}

/**
 * The files the globs name (a folder stands for every file under it), each glob matching at
 * least one: a glob that matches nothing is a {@link ConfigError} (the hash would never change).
 */
export async function matchFiles(who: string, patterns: readonly string[], cwd: string): Promise<string[]> {
  const all = new Set<string>();
  for (const pattern of patterns) {
    const matched: string[] = [];
    for await (const hit of glob(pattern, { cwd, exclude: ignored })) {
      const path = isAbsolute(hit) ? hit : resolve(cwd, hit);
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) matched.push(...(await filesUnder(path)));
      else if (info?.isFile()) matched.push(path);
    }
    if (matched.length === 0) throw new ConfigError(`${who}: files pattern "${pattern}" matches no file in ${cwd}`);
    for (const path of matched) all.add(path);
  }
  return [...all].sort();
}

/** sha256 (hex) of `parts` and the files' paths (relative to cwd) and contents. */
export async function hashInputs(
  who: string,
  parts: readonly string[],
  patterns: readonly string[],
  cwd: string,
): Promise<string> {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part}\n`);
  for (const path of patterns.length > 0 ? await matchFiles(who, patterns, cwd) : []) {
    const content = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    hash.update(`${relative(cwd, path).split(sep).join('/')}\t${content}\n`);
  }
  return hash.digest('hex');
}
