import { type KitContainer, listContainers } from '../container/index.js';
import { parseCommand } from './args.js';
import { EXIT } from './errors.js';
import { type CliIo, columns, formatAge, ownerOf, shortId } from './output.js';

export const STATUS_USAGE = `timescale-testkit status [--json]

Lists the kit's containers, stopped ones too (state \`exited (137)\`: killed): id, image, state,
age, port, and the reuse hash of a reused container (or the run id of a run's own container).

Options:
  --json       one JSON array instead (with createdAt and the connection URL of each container)
  -h, --help   this text

Exit codes: 0 listed (also when none runs), 1 failed (Docker unreachable), 2 usage error.`;

function ports(container: KitContainer): string {
  return container.ports.map((p) => `${p.host ?? '?'}:${p.port}->${p.container}`).join(' ') || '-';
}

function stateOf(container: KitContainer): string {
  return container.exitCode === undefined ? container.state : `${container.state} (${container.exitCode})`;
}

/** `timescale-testkit status`. */
export async function statusCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand('status', argv, { json: { type: 'boolean' } });
  const containers = await listContainers();
  if (values.json) {
    const now = Date.now();
    const entries = containers.map((c) => ({
      id: c.id,
      image: c.image,
      state: c.state,
      exitCode: c.exitCode ?? null,
      createdAt: c.createdAt.toISOString(),
      ageMs: now - c.createdAt.getTime(),
      ports: c.ports,
      reuse: c.reuse,
      configHash: c.configHash ?? null,
      runId: c.runId ?? null,
      url: c.connectionString ?? null,
    }));
    io.out(JSON.stringify(entries, null, 2));
    return EXIT.ok;
  }
  if (containers.length === 0) {
    io.out('no timescale-testkit containers');
    return EXIT.ok;
  }
  const rows = containers
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((c) => [
      shortId(c.id),
      c.image,
      stateOf(c),
      formatAge(Date.now() - c.createdAt.getTime()),
      ports(c),
      ownerOf(c),
    ]);
  for (const line of columns([['ID', 'IMAGE', 'STATE', 'AGE', 'PORTS', 'OWNER'], ...rows])) io.out(line);
  return EXIT.ok;
}
