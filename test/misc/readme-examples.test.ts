import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's quick starts are the example projects' files, verbatim: CI runs the examples
// on the packed package, so what a reader pastes is what was tested.
const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

type Runner = 'vitest' | 'jest' | 'node-test';
const HEADINGS: Record<Runner, string> = { vitest: 'vitest', jest: 'jest', 'node-test': 'node:test' };

function quickStart(runner: Runner): Map<string, string> {
  const start = readme.indexOf(`### ${HEADINGS[runner]}\n`, readme.indexOf('## Quick start'));
  const end = readme.indexOf('\n## ', start);
  const next = readme.indexOf('\n### ', start + 1);
  const section = readme.slice(start, next !== -1 && next < end ? next : end);
  const blocks = new Map<string, string>();
  for (const match of section.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)) {
    const code = match[1] ?? '';
    const path = /^\/\/ ([\w./-]+?)(?::|\s|$)/.exec(code)?.[1];
    if (path) blocks.set(path, code);
  }
  return blocks;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith('node_modules'))
    .sort();
}

describe('README quick starts', () => {
  for (const runner of ['vitest', 'jest', 'node-test'] as const) {
    it(`${runner}: every file of examples/${runner} is in the README as it is`, () => {
      const dir = join(root, 'examples', runner);
      const blocks = quickStart(runner);
      expect([...blocks.keys()].sort()).toEqual(sourceFiles(dir));
      for (const [path, code] of blocks) expect(code, path).toBe(readFileSync(join(dir, path), 'utf8'));
    });
  }
});
