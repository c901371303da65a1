import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { loadConfig, type ResolvedTestkitConfig } from '../config/index.js';
import { listContainers, type StartedTimescale, startTimescale, type TimescaleOptions } from '../container/index.js';
import { referenceMigrations } from '../domain/index.js';
import { isMigrator, type MigrationFormat, type Migrator, migrate } from '../migrate/index.js';
import { parseCommand } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { summarize } from './migrate.js';
import { type CliIo, note, shortId, step } from './output.js';
import { printSeedResult, SEED_DEFAULTS, seedDemoData } from './seed.js';

export const UP_USAGE = `timescale-testkit up [options]

Starts the TimescaleDB + pgvector container as the tests would (timescale-testkit.config.* and the
TIMESCALE_TESTKIT_* variables), applies the migrations to its database, prints its URL and a psql
command, and stays up until Ctrl-C, then stops and removes the container (it also exits when the
container is removed meanwhile, e.g. by \`timescale-testkit down\` from another terminal).

Options:
  --migrations DIR   migrations folder (default: the config's, else ./migrations; skipped with a note
                     when it does not exist)
  --seed             write demo data through the factories (as \`timescale-testkit seed\`); without a
                     migrations folder the kit's reference schema is applied first
  --detach           leave the container running and exit: a reusable container that runs with the
                     same configuration and TIMESCALE_TESTKIT_REUSE=1 find again; \`down\` removes it
  --image IMAGE      image (default: TIMESCALE_TESTKIT_IMAGE, else the config's, else the pinned default)
  --reuse, --no-reuse
                     find (or leave) one container per configuration across runs (default: the
                     config's reuse, or TIMESCALE_TESTKIT_REUSE); one found running stays on Ctrl-C
  -h, --help         this text

Exit codes: 0 stopped by Ctrl-C (or detached, or its container removed), 1 failed (nothing left running), 2 usage error,
130 interrupted before it was ready (the container is removed).`;

interface Shutdown {
  readonly requested: boolean;
  wait(): Promise<void>;
  dispose(): void;
}

/** Resolves on SIGINT, SIGTERM or the caller's abort signal. */
function listenForShutdown(signal: AbortSignal | undefined): Shutdown {
  let requested = false;
  let resolveWait: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => {
    resolveWait = resolve;
  });
  // a pending promise does not keep Node running: a timer does, until the shutdown
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const fire = () => {
    requested = true;
    clearInterval(keepAlive);
    resolveWait();
  };
  process.on('SIGINT', fire);
  process.on('SIGTERM', fire);
  signal?.addEventListener('abort', fire, { once: true });
  if (signal?.aborted) fire();
  return {
    get requested() {
      return requested;
    },
    wait: () => waiting,
    dispose: () => {
      clearInterval(keepAlive);
      process.off('SIGINT', fire);
      process.off('SIGTERM', fire);
      signal?.removeEventListener('abort', fire);
    },
  };
}

/** How often a foreground `up` checks that its container is still there. */
const WATCH_MS = 2_000;

/**
 * Resolves when the container is gone from the engine (`timescale-testkit down` from another
 * terminal, `docker rm`), so a foreground `up` does not wait for a Ctrl-C that no longer stops
 * anything. Checks stop once `until` settles.
 */
function whenGone(id: string, until: Promise<void>): Promise<void> {
  return new Promise((resolveGone) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const check = async () => {
      // an engine that does not answer for a moment is not a removed container
      const present = await listContainers().then(
        (list) => list.some((c) => c.id === id && c.state === 'running'),
        () => true,
      );
      if (done) return;
      if (!present) resolveGone();
      else timer = setTimeout(check, WATCH_MS);
    };
    timer = setTimeout(check, WATCH_MS);
    void until.then(() => {
      done = true;
      clearTimeout(timer);
    });
  });
}

type MigrationsChoice = { dir: string; format: MigrationFormat | 'auto'; files?: string } | Migrator;

/** What `up` applies: the flag's folder, else the config's migrator or folder, else (for --seed) the reference schema. */
function chooseMigrations(
  io: CliIo,
  flag: string | undefined,
  config: ResolvedTestkitConfig,
  seed: boolean,
): MigrationsChoice | undefined {
  if (flag !== undefined) return { dir: resolve(io.cwd, flag), format: config.format };
  if (typeof config.migrations !== 'string') return config.migrations;
  const files = config.files ? { files: config.files } : {};
  if (existsSync(config.migrations)) return { dir: config.migrations, format: config.format, ...files };
  const missing = relative(io.cwd, config.migrations) || '.';
  if (seed) {
    note(io, `no migrations folder at ${missing}: applying the kit's reference schema for --seed`);
    return { dir: referenceMigrations, format: 'auto' };
  }
  note(
    io,
    `no migrations folder at ${missing}: nothing applied (pass --migrations DIR, or set \`migrations\` in timescale-testkit.config.ts)`,
  );
  return undefined;
}

/** Applies the choice to the server's database, with a progress line. */
async function applyMigrations(io: CliIo, url: string, choice: MigrationsChoice): Promise<void> {
  if (isMigrator(choice)) {
    await step(io, `migrated with ${choice.name ?? 'the configured migrator'}`, () => choice.migrate(url));
    return;
  }
  await step(io, summarize, () => migrate(url, choice));
}

function describeStart(server: StartedTimescale): string {
  const versions = Object.entries(server.extensions).map(([name, version]) => `${name} ${version}`);
  const what = server.reused ? 'found running container' : 'started container';
  return `${what} ${shortId(server.id)} ${server.image}${versions.length > 0 ? ` (${versions.join(', ')})` : ''}`;
}

async function stopServer(io: CliIo, server: StartedTimescale, remove: boolean): Promise<void> {
  if (!remove && server.reused) {
    await server.stop();
    note(io, `container ${shortId(server.id)} was running before \`up\` and is left running; \`down\` removes it`);
    return;
  }
  try {
    await step(io, `stopped and removed container ${shortId(server.id)}`, () => server.stop({ remove: true }));
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode !== 404) throw error;
    note(io, `container ${shortId(server.id)} was already removed (by \`timescale-testkit down\`?)`);
  }
}

/** `timescale-testkit up`. */
export async function upCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand('up', argv, {
    migrations: { type: 'string' },
    seed: { type: 'boolean' },
    detach: { type: 'boolean' },
    image: { type: 'string' },
    reuse: { type: 'boolean' },
  });
  if (values.detach && values.reuse === false) {
    throw new UsageError('--detach leaves a reusable container: it cannot go with --no-reuse', 'up');
  }
  if (values.migrations !== undefined && !existsSync(resolve(io.cwd, values.migrations))) {
    throw new UsageError(`migrations folder ${resolve(io.cwd, values.migrations)} does not exist`, 'up');
  }
  const config = await loadConfig(io.cwd, {}, { requireMigrations: false });
  if (config.url)
    note(io, 'TIMESCALE_TESTKIT_URL (or `url` in the config) is set: tests use that server, not this one');
  // the URL is for other programs (psql, the application, a GUI): the published loopback port
  // is the address every one of them reaches
  const options: TimescaleOptions = {
    ...config.container,
    direct: false,
    ...(values.image ? { image: values.image } : {}),
    ...(values.detach ? { reuse: true } : values.reuse === undefined ? {} : { reuse: values.reuse }),
  };
  const shutdown = listenForShutdown(io.signal);
  try {
    const server = await step(io, describeStart, () => startTimescale(options));
    const created = !server.reused;
    try {
      const migrations = chooseMigrations(io, values.migrations, config, values.seed === true);
      if (migrations && !shutdown.requested) await applyMigrations(io, server.connectionString, migrations);
      if (values.seed && !shutdown.requested) {
        printSeedResult(io, await seedDemoData(server.connectionString, { ...SEED_DEFAULTS }, io));
      }
    } catch (error) {
      if (created) await server.stop({ remove: true }).catch(() => undefined);
      throw error;
    }
    if (shutdown.requested) {
      io.err('interrupted');
      await stopServer(io, server, created);
      return EXIT.interrupted;
    }
    io.out(`url   ${server.connectionString}`);
    io.out(`psql  psql "${server.connectionString}"`);
    if (values.detach) {
      await server.stop();
      io.err(
        `left running (reuse hash ${server.configHash}): \`timescale-testkit status\` lists it, \`timescale-testkit down\` removes it`,
      );
      return EXIT.ok;
    }
    io.err('ready; press Ctrl-C to stop');
    const gone = await Promise.race([
      shutdown.wait().then(() => false),
      whenGone(server.id, shutdown.wait()).then(() => true),
    ]);
    if (gone) {
      note(io, `container ${shortId(server.id)} was already removed (by \`timescale-testkit down\`?); up exits`);
      await server.stop().catch(() => undefined);
      return EXIT.ok;
    }
    await stopServer(io, server, created);
    return EXIT.ok;
  } finally {
    shutdown.dispose();
  }
}
