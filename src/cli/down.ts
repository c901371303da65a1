import { type KitContainer, listContainers, pruneContainers } from '../container/index.js';
import { parseCommand } from './args.js';
import { CliError, EXIT } from './errors.js';
import { type CliIo, ownerOf, shortId, step } from './output.js';

export const DOWN_USAGE = `timescale-testkit down [ID|HASH ...]

Stops and removes the kit's containers, running or stopped: every one, reused ones included, or
only those whose id or reuse hash starts with one of the given prefixes (as \`status\` prints them).
A removal counts once the engine confirms the container is gone.

Options:
  -h, --help   this text

Exit codes: 0 removed (also when there was nothing), 1 failed (Docker unreachable, a prefix matches
no container, or a container is still there after its removal), 2 usage error.`;

function select(containers: readonly KitContainer[], prefixes: readonly string[]): KitContainer[] {
  if (prefixes.length === 0) return [...containers];
  const chosen = new Set<KitContainer>();
  for (const prefix of prefixes) {
    const matches = containers.filter((c) => c.id.startsWith(prefix) || c.configHash?.startsWith(prefix));
    if (matches.length === 0) {
      throw new CliError(`no timescale-testkit container matches "${prefix}"`, '`timescale-testkit status` lists them');
    }
    for (const match of matches) chosen.add(match);
  }
  return [...chosen];
}

/** `timescale-testkit down`. */
export async function downCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand('down', argv, {}, { positionals: true });
  const chosen = select(await listContainers(), positionals);
  if (chosen.length === 0) {
    io.out('nothing to remove: no timescale-testkit containers');
    return EXIT.ok;
  }
  const removed = await step(
    io,
    (result) => `removed ${result.length} container(s)`,
    () => pruneContainers({ includeReused: true, ids: chosen.map((c) => c.id) }),
  );
  for (const container of chosen.filter((c) => removed.some((r) => r.id === c.id))) {
    io.out(`removed ${shortId(container.id)}  ${container.image}  ${ownerOf(container)}`);
  }
  const left = chosen.filter((c) => !removed.some((r) => r.id === c.id));
  if (left.length > 0) {
    throw new CliError(
      `${left.length} container(s) still there after their removal: ${left.map((c) => shortId(c.id)).join(', ')}`,
      'check the Docker engine (`docker ps -a`), then run `timescale-testkit down` again or `docker rm -f <id>`',
    );
  }
  return EXIT.ok;
}
