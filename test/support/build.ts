import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = join(import.meta.dirname, '..', '..');

/** Tests that drive the package as a user would need dist/; `npm test` builds it first. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(root, 'dist', 'jest', 'index.cjs')) && existsSync(join(root, 'dist', 'index.js'))) return;
  await run(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js')], { cwd: root });
}
