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

/**
 * Environment for a child vitest run on the suite's server (`serverUrl`): no inherited VITEST_*
 * worker variables, no colours, the given run id and extra variables.
 */
export function childVitestEnv(serverUrl: string, runId: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TIMESCALE_TESTKIT_URL: serverUrl, TIMESCALE_TESTKIT_RUN_ID: runId };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'FORCE_COLOR') delete env[name];
  return { ...env, NO_COLOR: '1', ...extra };
}
