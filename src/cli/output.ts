/** Where a command writes and what it runs against; tests pass their own. */
export interface CliIo {
  /** Results (stdout): URLs, tables, counts, JSON. */
  out: (line: string) => void;
  /** Progress, notes and errors (stderr). */
  err: (line: string) => void;
  /** The project root: where the config file and relative paths are looked up (default: process.cwd()). */
  cwd: string;
  /** Stops a foreground `up` like Ctrl-C does (SIGINT and SIGTERM always do). */
  signal?: AbortSignal;
}

/** `850 ms`, `1.8 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `42s`, `3m`, `5h`, `2d`: how long ago, compactly. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1_000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** Runs one long step and prints `✓ <label> (1.8 s)` when it is done; `label` may depend on the result. */
export async function step<T>(io: CliIo, label: string | ((result: T) => string), work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const text = typeof label === 'string' ? label : label(result);
  io.err(`✓ ${text} (${formatDuration(performance.now() - started)})`);
  return result;
}

/** A remark that is not an error: `note: ...` on stderr. */
export function note(io: CliIo, text: string): void {
  io.err(`note: ${text}`);
}

/** Left-aligned columns separated by two spaces. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
}

/** The short form of a container id Docker prints. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** Who a container belongs to: `reuse <config hash>` or `run <run id>`. */
export function ownerOf(container: {
  reuse: boolean;
  configHash?: string | undefined;
  runId?: string | undefined;
}): string {
  return container.reuse ? `reuse ${container.configHash ?? '?'}` : `run ${container.runId ?? '?'}`;
}
