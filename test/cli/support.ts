import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, main } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { resolveOptions } from '../../src/container/index.js';
import { listContainers, pruneContainers, type TestkitConfig } from '../../src/index.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process; `onLine` sees every line (stdout and stderr) as it is printed. */
export async function cli(
  argv: readonly string[],
  { onLine, ...io }: Partial<CliIo> & { onLine?: (line: string) => void } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (line) => {
      out.push(line);
      onLine?.(line);
    },
    err: (line) => {
      err.push(line);
      onLine?.(line);
    },
    ...io,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A project folder with a timescale-testkit.config.json; its container settings make its config hash unique. */
export async function tempProject(
  config: TestkitConfig = {},
): Promise<{ dir: string; tag: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tk-cli-'));
  const tag = `tk-cli-${randomBytes(4).toString('hex')}`;
  const full: TestkitConfig = {
    ...config,
    container: { ...config.container, settings: { ...config.container?.settings, application_name: tag } },
  };
  await writeFile(join(dir, 'timescale-testkit.config.json'), JSON.stringify(full));
  return { dir, tag, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** The reuse hash of the containers `up` starts in a project folder (known before it starts them). */
export async function configHashOf(dir: string): Promise<string> {
  return resolveOptions((await loadConfig(dir, {}, { requireMigrations: false })).container).configHash;
}

/**
 * Removes whatever a test left running (or stopped) with a project's configuration (its
 * {@link configHashOf}), passing or failing.
 */
export async function removeProjectContainers(hash: string): Promise<void> {
  const ids = (await listContainers()).filter((c) => c.configHash === hash).map((c) => c.id);
  if (ids.length > 0) await pruneContainers({ includeReused: true, ids });
}

/** The value after `url   ` in `up`'s output. */
export function urlOf(out: string): string {
  const match = /^url\s+(\S+)$/m.exec(out);
  if (!match?.[1]) throw new Error(`no url line in:\n${out}`);
  return match[1];
}
