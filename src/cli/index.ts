import { KIT_VERSION } from '../env/index.js';
import { DOCTOR_USAGE, doctorCommand } from './doctor.js';
import { DOWN_USAGE, downCommand } from './down.js';
import { EXIT, reportFailure, UsageError } from './errors.js';
import { MIGRATE_USAGE, migrateCommand } from './migrate.js';
import type { CliIo } from './output.js';
import { PRUNE_USAGE, pruneCommand } from './prune.js';
import { SEED_USAGE, seedCommand } from './seed.js';
import { STATUS_USAGE, statusCommand } from './status.js';
import { UP_USAGE, upCommand } from './up.js';

export type { CliIo } from './output.js';

interface Command {
  summary: string;
  usage: string;
  run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  up: {
    summary: 'start the container as tests would, migrate, [--seed], print its URL; Ctrl-C stops it',
    usage: UP_USAGE,
    run: upCommand,
  },
  down: { summary: 'stop and remove the kit containers, reused ones included', usage: DOWN_USAGE, run: downCommand },
  status: {
    summary: 'list the kit containers: age, port, reuse hash [--json]',
    usage: STATUS_USAGE,
    run: statusCommand,
  },
  prune: {
    summary: 'remove leftover containers and the databases of crashed runs',
    usage: PRUNE_USAGE,
    run: pruneCommand,
  },
  migrate: { summary: 'apply a migrations folder to a database', usage: MIGRATE_USAGE, run: migrateCommand },
  seed: { summary: 'write demo data through the factories into a database', usage: SEED_USAGE, run: seedCommand },
  doctor: {
    summary: 'check this machine for a test run: Node, Docker, image, extensions, edition, config [--json]',
    usage: DOCTOR_USAGE,
    run: doctorCommand,
  },
};

export const USAGE = `timescale-testkit <command> [options]

Real TimescaleDB + pgvector databases for tests, from the command line.

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)}${command.summary}`)
  .join('\n')}

Run \`timescale-testkit <command> --help\` for a command's options.

Options:
  -h, --help      this text
  -v, --version   the kit's version

Exit codes: 0 success, 1 failure (printed as "error: <cause>" and "fix: <what to do>" on stderr),
2 usage error (unknown command or option, bad value), 130 interrupted.

Quick start: npx timescale-testkit up --seed`;

function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
  };
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(USAGE);
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.out(KIT_VERSION);
    return EXIT.ok;
  }
  if (first === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    if (rest[0] !== undefined && !topic) throw new UsageError(`unknown command "${rest[0]}"`);
    io.out(topic ? topic.usage : USAGE);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    throw new UsageError(first.startsWith('-') ? `expected a command before ${first}` : `unknown command "${first}"`);
  }
  if (wantsHelp(rest)) {
    io.out(command.usage);
    return EXIT.ok;
  }
  return command.run(rest, io);
}

/**
 * Runs `timescale-testkit <argv>` and resolves to its exit code; never rejects. Results go to
 * `io.out`, progress and errors to `io.err` (stdout and stderr by default).
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = { ...defaultIo(), ...io };
  try {
    return await dispatch(argv, full);
  } catch (error) {
    return reportFailure(full.err, error);
  }
}
