import { spawn } from 'node:child_process';

const OUTPUT_LIMIT = 64 * 1024;
/** After SIGTERM, how long the process group gets before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** After the process exits, how long its pipes may stay open (held by a grandchild) before we stop reading. */
const DRAIN_MS = 1_000;

export interface RunOptions {
  command: string | readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export type RunResult =
  | { kind: 'exit'; exitCode: number | null; signal: NodeJS.Signals | null; output: string }
  | { kind: 'not-found'; output: string }
  | { kind: 'timeout'; signal: NodeJS.Signals | null; output: string };

/** Keeps the last {@link OUTPUT_LIMIT} characters of what a process prints. */
class Output {
  #text = '';
  #dropped = false;

  add(chunk: Buffer): void {
    this.#text += chunk.toString('utf8');
    if (this.#text.length > OUTPUT_LIMIT) {
      this.#text = this.#text.slice(-OUTPUT_LIMIT);
      this.#dropped = true;
    }
  }

  toString(): string {
    return this.#dropped ? `[... earlier output left out]\n${this.#text}` : this.#text;
  }
}

/**
 * Runs a command in its own process group: an argument list without a shell, a string through
 * the shell. Stdin is closed (a prompt gets end-of-file). A command still running after
 * `timeoutMs` is killed with its whole group (SIGTERM, then SIGKILL).
 */
export function runCommand(options: RunOptions): Promise<RunResult> {
  const [file, ...args] = typeof options.command === 'string' ? [options.command] : options.command;
  const child = spawn(file as string, args, {
    cwd: options.cwd,
    env: options.env,
    shell: typeof options.command === 'string',
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new Output();
  child.stdout.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.add(chunk));
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  return new Promise((resolve) => {
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    let drain: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    const finish = (result: RunResult): void => {
      clearTimeout(timer);
      clearTimeout(killer);
      clearTimeout(drain);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(result);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish({ kind: 'not-found', output: `${output}${error.message}\n` });
      else finish({ kind: 'exit', exitCode: null, signal: null, output: `${output}${error.message}\n` });
    });
    const settle = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (timedOut) finish({ kind: 'timeout', signal, output: output.toString() });
      else finish({ kind: 'exit', exitCode, signal, output: output.toString() });
    };
    child.on('exit', (exitCode, signal) => {
      drain = setTimeout(() => {
        // the command exited but something it started still holds its output open: end that too
        killGroup('SIGKILL');
        settle(exitCode, signal);
      }, DRAIN_MS);
    });
    child.on('close', (exitCode: number | null, signal: NodeJS.Signals | null) => settle(exitCode, signal));
  });
}
