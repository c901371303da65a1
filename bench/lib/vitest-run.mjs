// One `vitest run` of a generated test project (scale and headline scenarios), in a child
// process as a user starts it, timed from spawn to exit. Each test file of the project appends
// one JSON line with its own timings to the file named by env BENCH_SCALE_LOG (see
// scale-project.mjs); the run returns those lines with the wall time.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPOSITORY = join(import.meta.dirname, '..', '..');
const VITEST = join(REPOSITORY, 'node_modules', 'vitest', 'vitest.mjs');
const KEEP = ['TIMESCALE_TESTKIT_IMAGE', 'TIMESCALE_TESTKIT_RUN_ID', 'TIMESCALE_TESTKIT_STATE_DIR'];

/** The child's environment: no vitest worker variables, no kit settings that change what runs. */
export function childEnv(log, env = process.env) {
  const child = { ...env, NO_COLOR: '1', BENCH_SCALE_LOG: log };
  for (const name of Object.keys(child)) {
    if (name.startsWith('VITEST') || name === 'FORCE_COLOR') delete child[name];
    if (name.startsWith('TIMESCALE_TESTKIT_') && !KEEP.includes(name)) delete child[name];
  }
  return child;
}

/**
 * Runs `vitest run` in the project `dir` and checks that `files` test files reported.
 * Resolves to { wallMs, files: [the files' JSON lines], stderr }.
 */
export async function vitestRun(dir, files, { timeoutMs = 600_000 } = {}) {
  const log = join(dir, 'setup-times.jsonl');
  await rm(log, { force: true });
  const args = [VITEST, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), '--reporter=dot'];
  const started = performance.now();
  let stderr;
  try {
    ({ stderr } = await run(process.execPath, args, {
      cwd: dir,
      env: childEnv(log),
      timeout: timeoutMs,
      maxBuffer: 16 * 2 ** 20,
    }));
  } catch (error) {
    const output = `${error.stdout ?? ''}\n${error.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    // a run that never exits is killed at the timeout: say so, and after how long
    const how = error.killed
      ? `still running after ${Math.round(timeoutMs / 1000)} s, killed (${error.signal})`
      : `exit code ${error.code ?? '?'}${error.signal ? `, signal ${error.signal}` : ''}`;
    throw new Error(`vitest run in ${dir} failed (${how}):\n${output}`);
  }
  const wallMs = performance.now() - started;
  // the kit's teardown gave up on the server (see src/harness/deadline.ts): the run is timed, and said
  for (const line of stderr.split('\n').filter((text) => text.includes('cleanup did not finish'))) {
    process.stderr.write(`[bench] ${dir}: ${line}\n`);
  }
  const lines = (await readFile(log, 'utf8')).trim().split('\n');
  if (lines.length !== files) throw new Error(`expected ${files} test files to report, got ${lines.length} (${dir})`);
  return { wallMs, files: lines.map((line) => JSON.parse(line)), stderr };
}
