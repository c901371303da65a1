import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** package.json's entry points (`.`, `./vitest`, ...) and the source file each is built from. */
function entryPoints(): Map<string, string> {
  const exports = JSON.parse(read('package.json')).exports as Record<string, unknown>;
  const tsup = read('tsup.config.ts');
  const sources = new Map<string, string>();
  for (const match of tsup.matchAll(/^\s*'?([\w/-]+)'?: '(src\/[\w/.-]+\.ts)',$/gm))
    sources.set(match[1] ?? '', match[2] ?? '');
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(exports)) {
    if (key === './package.json') continue;
    // files shipped as they are (jest-preset.cjs) are not built entry points
    if (typeof value === 'string' && !value.startsWith('./dist/')) continue;
    const built = JSON.stringify(value).match(/"\.\/dist\/([\w/-]+)\.js"/)?.[1];
    const source = built ? sources.get(built) : undefined;
    if (!source) throw new Error(`no source for the entry point ${key}`);
    entries.set(key === '.' ? 'timescale-testkit' : `timescale-testkit/${key.slice(2)}`, source);
  }
  return entries;
}

/** Names a module exports, from its explicit export lists and declarations. */
function exportedNames(text: string): Set<string> {
  // a module augmentation (`declare module 'vitest' { ... }`) exports nothing of the entry's own
  const source = text.replace(/declare module '[^']+' \{[\s\S]*?\n\}/g, '');
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  const declaration =
    /export\s+(?:declare\s+)?(?:async\s+)?(?:function|class|const|let|interface|type|enum)\s+([\w$]+)/g;
  for (const match of source.matchAll(declaration)) names.add(match[1] ?? '');
  if (/export\s+default\b/.test(source)) names.add('default');
  return names;
}

/** The README's API reference: per entry point, the names the first column of its tables lists. */
function documented(): Map<string, Set<string>> {
  const readme = read('README.md');
  const start = readme.indexOf('\n## API reference');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const byEntry = new Map<string, Set<string>>();
  for (const block of section.split('\n### ').slice(1)) {
    const [heading = '', ...lines] = block.split('\n');
    const entries = [...heading.matchAll(/`(timescale-testkit[\w/-]*)`/g)].map((m) => m[1] ?? '');
    const names = new Set<string>();
    for (const line of lines) {
      if (!line.startsWith('| ') || line.startsWith('| ---')) continue;
      const first = line.split(' | ')[0] ?? '';
      for (const span of first.matchAll(/`([^`]+)`/g)) {
        const name = /^(?:new\s+)?([A-Za-z_$][\w$]*)/.exec(span[1] ?? '')?.[1];
        if (name) names.add(name);
      }
    }
    for (const entry of entries) byEntry.set(entry, new Set([...(byEntry.get(entry) ?? []), ...names]));
  }
  return byEntry;
}

describe('the public API', () => {
  const entries = entryPoints();
  const docs = documented();

  it.each([...entries])('%s lists its exports explicitly (no export *)', (_entry, source) => {
    expect(read(source)).not.toMatch(/export\s+(type\s+)?\*/);
  });

  it.each([...entries])('%s exports exactly what the README documents', (entry, source) => {
    const exported = [...exportedNames(read(source))].sort();
    const listed = [...(docs.get(entry) ?? [])].sort();
    expect({ entry, undocumented: exported.filter((name) => !listed.includes(name)) }).toEqual({
      entry,
      undocumented: [],
    });
    expect({ entry, notExported: listed.filter((name) => !exported.includes(name)) }).toEqual({
      entry,
      notExported: [],
    });
  });

  it('keeps the root to at most 50 runtime names', async () => {
    const rootModule = await import('../../src/index.js');
    expect(Object.keys(rootModule).length).toBeLessThanOrEqual(50);
  });
});
