import { parseCommand } from './args.js';
import { CHECKS, type DoctorState, initialState } from './doctor-checks.js';
import type { CheckStatus, Outcome } from './doctor-hints.js';
import { describeFailure, EXIT } from './errors.js';
import type { CliIo } from './output.js';

export const DOCTOR_USAGE = `timescale-testkit doctor [--json] [--image IMAGE] [--pull]

Checks, in order, what a test run needs on this machine and prints each as ✓ or ✗ with the fix:
Node version; the Docker engine testcontainers resolves (DOCKER_HOST / socket; rootless, Podman,
Colima hints); the host containers are reached at (/.dockerenv and the bridge-gateway trap);
Ryuk; the image (present locally or pullable); a container starts (removed again); the wanted
extensions can be created; TimescaleDB's edition (what the Apache edition refuses); the config
file, the migrations folder, its format and hash; the external server (TIMESCALE_TESTKIT_URL),
whether it answers and whether the guard counts its host as safe. Checks that do not apply are
shown as – (skipped). Takes seconds; never leaves a container behind.

Options:
  --json          one JSON object instead: { ok, checks: [{ name, title, status, detail, fix, notes, ms }] }
  --image IMAGE   check this image (default: as the tests would choose it)
  --pull          pull the image when it is not present locally (default: the check waits for it)
  -h, --help      this text

Exit codes: 0 every check passed (or was skipped), 1 a check failed, 2 usage error.`;

/** One check's result, as printed and as JSON. */
export interface CheckResult {
  name: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix: string | null;
  notes: string[];
  ms: number;
}

const MARK: Readonly<Record<CheckStatus, string>> = { pass: '✓', fail: '✗', skip: '–' };

async function runCheck(check: (typeof CHECKS)[number], state: DoctorState): Promise<CheckResult> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await check.run(state);
  } catch (error) {
    const failure = describeFailure(error);
    outcome = { status: 'fail', detail: failure.cause, fix: failure.fix, notes: [...failure.details] };
  }
  return {
    name: check.name,
    title: check.title,
    status: outcome.status,
    detail: outcome.detail,
    fix: outcome.fix ?? null,
    notes: outcome.notes ?? [],
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** Runs every check in order; the doctor's container is removed before it returns. */
export async function runDoctor(
  cwd: string,
  { image, pull = false, onResult }: { image?: string; pull?: boolean; onResult?: (result: CheckResult) => void } = {},
): Promise<CheckResult[]> {
  const state = await initialState(cwd, image, pull);
  const results: CheckResult[] = [];
  try {
    for (const check of CHECKS) {
      const result = await runCheck(check, state);
      results.push(result);
      onResult?.(result);
    }
  } finally {
    await state.server?.stop({ remove: true }).catch(() => undefined);
  }
  return results;
}

function printResult(io: CliIo, result: CheckResult, width: number): void {
  io.out(`${MARK[result.status]} ${result.title.padEnd(width)}  ${result.detail}`);
  if (result.fix) io.out(`  fix: ${result.fix}`);
  for (const note of result.notes) io.out(`  note: ${note}`);
}

/** `timescale-testkit doctor`. */
export async function doctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand('doctor', argv, {
    json: { type: 'boolean' },
    image: { type: 'string' },
    pull: { type: 'boolean' },
  });
  const width = Math.max(...CHECKS.map((check) => check.title.length));
  const results = await runDoctor(io.cwd, {
    ...(values.image ? { image: values.image } : {}),
    pull: values.pull === true,
    ...(values.json ? {} : { onResult: (result: CheckResult) => printResult(io, result, width) }),
  });
  const failed = results.filter((result) => result.status === 'fail');
  if (values.json) {
    io.out(JSON.stringify({ ok: failed.length === 0, checks: results }, null, 2));
  } else {
    io.out(
      failed.length === 0
        ? 'all checks passed'
        : `${failed.length} check(s) failed: ${failed.map((result) => result.title).join(', ')}`,
    );
  }
  return failed.length === 0 ? EXIT.ok : EXIT.failure;
}
