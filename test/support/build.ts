import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = join(import.meta.dirname, '..', '..');
/** vitest's CLI, for child runs. */
export const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');

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

/** One test of a child vitest run's JSON report. */
export interface ReportedTest {
  fullName: string;
  status: string;
  failureMessages: string[];
}

/**
 * `vitest run --config <config>` in a child process with its JSON report: the exit code, stderr
 * and every test's outcome (failing tests do not throw).
 */
export async function vitestReport(
  config: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stderr: string; tests: ReportedTest[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'tk-child-vitest-'));
  const report = join(dir, 'report.json');
  try {
    const args = [vitestBin, 'run', '--config', config, '--reporter=json', `--outputFile=${report}`];
    const outcome = await run(process.execPath, args, { cwd: root, env, timeout: 120_000 }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    const results = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: { assertionResults: ReportedTest[] }[];
    };
    return { ...outcome, tests: results.testResults.flatMap((file) => file.assertionResults) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
