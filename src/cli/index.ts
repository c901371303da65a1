import { parseArgs } from 'node:util';
import { listContainers, pruneContainers, startTimescale } from '../container/index.js';
import { migrateCommand } from './migrate.js';

const USAGE = `timescale-testkit <command> [options]

Commands:
  up       start (or find) the reusable TimescaleDB container and print its URL
  down     stop and remove every container the kit started, reused ones included
  status   list the kit's running containers
  prune    remove the kit's leftover containers (not reused ones) [--older-than-minutes N]
  migrate  apply a migrations folder: --dir DIR (default ./migrations) [--url URL] [--format FORMAT]
           [--table NAME] [--schema NAME] [--allow-out-of-order]; URL default TIMESCALE_TESTKIT_URL
           or DATABASE_URL; FORMAT auto (default), plain, golang-migrate, dbmate, goose, flyway,
           prisma, drizzle

Options:
  --image IMAGE   image to run (default: TIMESCALE_TESTKIT_IMAGE or the pinned default)
  --help          this text`;

export async function main(argv: readonly string[], out: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      image: { type: 'string' },
      'older-than-minutes': { type: 'string' },
      dir: { type: 'string' },
      url: { type: 'string' },
      format: { type: 'string' },
      table: { type: 'string' },
      schema: { type: 'string' },
      'allow-out-of-order': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command || values.help ? 0 : 1;
  }
  switch (command) {
    case 'up': {
      const instance = await startTimescale({ reuse: true, ...(values.image ? { image: values.image } : {}) });
      out(instance.connectionString);
      await instance.stop();
      return 0;
    }
    case 'down': {
      const removed = await pruneContainers({ includeReused: true });
      out(`removed ${removed.length} container(s)`);
      return 0;
    }
    case 'status': {
      const containers = await listContainers();
      if (containers.length === 0) out('no timescale-testkit containers running');
      for (const c of containers) {
        const ports = c.ports.map((p) => `${p.host ?? '?'}:${p.port}->${p.container}`).join(' ');
        out(`${c.id.slice(0, 12)} ${c.image} ${c.state} ${c.reuse ? 'reuse' : `run=${c.runId ?? '?'}`} ${ports}`);
      }
      return 0;
    }
    case 'prune': {
      const minutes = values['older-than-minutes'];
      const removed = await pruneContainers(minutes ? { olderThanMs: Number(minutes) * 60_000 } : {});
      out(`removed ${removed.length} container(s)`);
      return 0;
    }
    case 'migrate':
      return migrateCommand(
        {
          dir: values.dir,
          url: values.url,
          format: values.format,
          table: values.table,
          schema: values.schema,
          allowOutOfOrder: values['allow-out-of-order'],
        },
        out,
      );
    default:
      out(`unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}
