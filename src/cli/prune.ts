import { createPool } from '../connection/index.js';
import { currentRunId, listContainers, pruneContainers } from '../container/index.js';
import { dropLeftoverClones, dropStaleTemplates } from '../isolation/index.js';
import { parseCommand, wholeNumber } from './args.js';
import { EXIT } from './errors.js';
import { type CliIo, note, ownerOf, shortId, step } from './output.js';

const DAY_MS = 86_400_000;

export const PRUNE_USAGE = `timescale-testkit prune [options]

Removes what crashed or interrupted runs left behind:
  - the containers the kit started for a run (reused containers stay; \`down\` removes those);
  - the databases the kit created, recognised by their marker comment (nothing else is touched):
    clones of other runs, and templates built more than a day ago (rebuilt when a run needs them),
    in every running reused container, or with a URL only on that server.

Options:
  --older-than-minutes N   only containers and clones at least N minutes old (default 0: all of them;
                           a run in progress on this machine loses its container and clones)
  --templates              drop every template, not only those built more than a day ago
  --url URL                prune that server's databases only, no containers (default: TIMESCALE_TESTKIT_URL)
  -h, --help               this text

Exit codes: 0 pruned (also when nothing was left), 1 failed (Docker or the server unreachable),
2 usage error.`;

interface Dropped {
  clones: string[];
  templates: string[];
}

async function pruneServer(url: string, olderThanMs: number, templateAgeMs: number): Promise<Dropped> {
  const admin = createPool({ connectionString: url, max: 1 }, 'prune');
  try {
    const clones = await dropLeftoverClones(admin, currentRunId(), olderThanMs);
    const templates = await dropStaleTemplates(admin, '', templateAgeMs);
    return { clones, templates };
  } finally {
    await admin.end();
  }
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

/** `where`: `on host:port` or `in container <id>`. */
function printDropped(io: CliIo, where: string, dropped: Dropped): number {
  for (const name of dropped.clones) io.out(`dropped clone ${name} ${where}`);
  for (const name of dropped.templates) io.out(`dropped template ${name} ${where}`);
  return dropped.clones.length + dropped.templates.length;
}

const GONE = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03']);

/** A server that stopped, or is restarting, between being listed and being reached. */
function unreachable(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && GONE.has(code)) return code;
  return /Connection terminated/i.test(error.message) ? 'connection terminated' : undefined;
}

/**
 * Drops the kit's leftover databases in one reused container. The container was found by
 * listing the engine; one stopped meanwhile (by `down`, or another run's teardown) is a note,
 * not a failure of the whole prune.
 */
export async function pruneContainerDatabases(
  io: CliIo,
  id: string,
  url: string,
  olderThanMs: number,
  templateAgeMs: number,
): Promise<number> {
  const where = `in container ${shortId(id)}`;
  try {
    const dropped = await step(
      io,
      (d) => `dropped ${d.clones.length} clone(s) and ${d.templates.length} template(s) ${where}`,
      () => pruneServer(url, olderThanMs, templateAgeMs),
    );
    return printDropped(io, where, dropped);
  } catch (error) {
    const reason = unreachable(error);
    if (!reason) throw error;
    note(io, `skipped container ${shortId(id)}: its server did not answer (${reason}); stopped meanwhile?`);
    return 0;
  }
}

/** `timescale-testkit prune`. */
export async function pruneCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand('prune', argv, {
    'older-than-minutes': { type: 'string' },
    templates: { type: 'boolean' },
    url: { type: 'string' },
  });
  const olderThanMs = wholeNumber('prune', 'older-than-minutes', values['older-than-minutes'], 0) * 60_000;
  const templateAgeMs = values.templates ? 0 : DAY_MS;
  const url = values.url || process.env.TIMESCALE_TESTKIT_URL;
  if (url) {
    const where = `on ${hostOf(url)}`;
    const dropped = await step(
      io,
      (d) => `dropped ${d.clones.length} clone(s) and ${d.templates.length} template(s) ${where}`,
      () => pruneServer(url, olderThanMs, templateAgeMs),
    );
    if (printDropped(io, where, dropped) === 0) io.out(`nothing to prune ${where}`);
    return EXIT.ok;
  }
  const removed = await step(
    io,
    (r) => `removed ${r.length} leftover container(s)`,
    () => pruneContainers({ olderThanMs }),
  );
  for (const c of removed) io.out(`removed container ${shortId(c.id)}  ${c.image}  ${ownerOf(c)}`);
  let databases = 0;
  for (const container of await listContainers()) {
    if (!container.reuse || container.state !== 'running' || !container.connectionString) continue;
    databases += await pruneContainerDatabases(
      io,
      container.id,
      container.connectionString,
      olderThanMs,
      templateAgeMs,
    );
  }
  if (removed.length + databases === 0) io.out('nothing to prune');
  return EXIT.ok;
}
