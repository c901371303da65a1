import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { CONFIG_FILES, loadConfig, type ResolvedTestkitConfig } from '../config/index.js';
import { connectClient } from '../connection/index.js';
import {
  DEFAULT_EXTENSIONS,
  DEFAULT_IMAGE,
  DockerUnavailableError,
  describeServer,
  type EngineProbe,
  LOCAL_IMAGE,
  probeEngine,
  resolveImage,
  type StartedTimescale,
  serverSummary,
  startTimescale,
  verifyExtensions,
  versionsOf,
} from '../container/index.js';
import { envFlag } from '../env/index.js';
import { isSafeHost } from '../isolation/index.js';
import { inspectMigrations, migratorHash } from '../migrate/index.js';
import {
  APACHE_REFUSES,
  engineNotes,
  fail,
  hostOutcome,
  MIN_NODE,
  type Outcome,
  ownAddresses,
  pass,
  skip,
  versionAtLeast,
} from './doctor-hints.js';
import { describeFailure } from './errors.js';
import { formatDuration } from './output.js';

/** What the checks learn and hand on to the later ones. */
export interface DoctorState {
  cwd: string;
  imageFlag: string | undefined;
  pull: boolean;
  config: ResolvedTestkitConfig | undefined;
  configError: unknown;
  engine: EngineProbe | undefined;
  imageReady: boolean;
  server: StartedTimescale | undefined;
  /** Where extensions and edition are checked: the doctor's container or the external URL. */
  target: string | undefined;
}

export interface Check {
  name: string;
  title: string;
  run(state: DoctorState): Promise<Outcome>;
}

function image(state: DoctorState): string {
  return state.imageFlag ?? resolveImage(state.config?.container ?? {});
}

function wanted(state: DoctorState): readonly string[] {
  return state.config?.container.extensions ?? DEFAULT_EXTENSIONS;
}

function needsContainer(state: DoctorState): string | undefined {
  if (state.config?.url) return 'the run uses the server at `url` / TIMESCALE_TESTKIT_URL, not a container';
  if (!state.engine) return 'no Docker engine';
  return undefined;
}

export const CHECKS: readonly Check[] = [
  {
    name: 'node',
    title: 'Node',
    async run() {
      const version = process.versions.node;
      return versionAtLeast(version, MIN_NODE)
        ? pass(`v${version} (needs >= ${MIN_NODE})`)
        : fail(
            `v${version} is older than ${MIN_NODE}`,
            `install Node >= ${MIN_NODE} (testcontainers 12 and vitest need it)`,
          );
    },
  },
  {
    name: 'docker',
    title: 'Docker engine',
    async run(state) {
      if (state.config?.url) return skip('the run uses the server at `url` / TIMESCALE_TESTKIT_URL');
      const dockerHost = process.env.DOCKER_HOST;
      try {
        state.engine = await probeEngine(state.config?.container.dockerTimeoutMs ?? 1_500);
      } catch (error) {
        if (!(error instanceof DockerUnavailableError)) throw error;
        return fail(
          describeFailure(error).cause,
          'start the engine (`sudo systemctl start docker`, Docker Desktop, `colima start`, `systemctl --user start podman.socket`), or set DOCKER_HOST to a reachable one, or TIMESCALE_TESTKIT_URL to use an existing server',
          engineNotes(dockerHost ?? ''),
        );
      }
      const engine = state.engine;
      return pass(
        `${engine.serverVersion} (${engine.operatingSystem}) at ${engine.endpoint} (DOCKER_HOST ${dockerHost ? `=${dockerHost}` : 'unset'})`,
        engineNotes(engine.endpoint),
      );
    },
  },
  {
    name: 'host',
    title: 'container host',
    async run(state) {
      if (!state.engine) return skip(needsContainer(state) ?? 'no Docker engine');
      return hostOutcome(
        state.engine.host,
        existsSync('/.dockerenv'),
        ownAddresses(),
        process.env.TESTCONTAINERS_HOST_OVERRIDE,
      );
    },
  },
  {
    name: 'ryuk',
    title: 'Ryuk',
    async run(state) {
      if (!state.engine) return skip(needsContainer(state) ?? 'no Docker engine');
      if (envFlag('TESTCONTAINERS_RYUK_DISABLED')) {
        return pass(
          'disabled (TESTCONTAINERS_RYUK_DISABLED): the kit stops its own containers; after a crash `timescale-testkit prune` removes leftovers',
        );
      }
      return pass(
        "enabled: testcontainers' reaper (a testcontainers/ryuk container, pulled on first use) removes containers after a crash",
        state.engine.endpoint.includes('podman') || /\/run\/user\/\d+\//.test(state.engine.endpoint)
          ? ['on rootless engines Ryuk often cannot start: TESTCONTAINERS_RYUK_DISABLED=true']
          : [],
      );
    },
  },
  {
    name: 'image',
    title: 'image',
    async run(state) {
      const reason = needsContainer(state);
      if (reason || !state.engine) return skip(reason ?? 'no Docker engine');
      const name = image(state);
      const found = await state.engine.image(name);
      if (found.local) {
        state.imageReady = true;
        return pass(`${name} is present locally`);
      }
      if (found.pullable) {
        state.imageReady = state.pull;
        return pass(`${name} is not present locally; the registry has it (${found.digest.slice(0, 19)}…)`, [
          state.pull
            ? 'it is pulled now (--pull)'
            : 'the container check waits for it: `docker pull` it, or pass --pull',
        ]);
      }
      return fail(
        `${name} is not present locally and cannot be pulled: ${found.reason}`,
        `pull it where a registry is reachable (\`docker pull ${name}\`), choose another image (--image, TIMESCALE_TESTKIT_IMAGE; the default is ${DEFAULT_IMAGE}), or build the local one: sudo bash node_modules/timescale-testkit/docker/local-image/provision.sh && export TIMESCALE_TESTKIT_IMAGE=${LOCAL_IMAGE}`,
      );
    },
  },
  {
    name: 'container',
    title: 'container starts',
    async run(state) {
      const reason = needsContainer(state);
      if (reason) return skip(reason);
      if (!state.imageReady) return skip('the image is not available locally');
      const started = performance.now();
      try {
        state.server = await startTimescale({
          ...state.config?.container,
          image: image(state),
          reuse: false,
          extensions: [],
          runId: `doctor-${process.pid}`,
        });
      } catch (error) {
        const failure = describeFailure(error);
        return fail(failure.cause, failure.fix, [...failure.details]);
      }
      state.target = state.server.connectionString;
      const took = formatDuration(performance.now() - started);
      const via = state.server.route === 'direct' ? ", the container's own address" : '';
      return pass(
        `started and answered at ${state.server.host}:${state.server.port}${via} in ${took} (removed at the end)`,
      );
    },
  },
  {
    name: 'extensions',
    title: 'extensions',
    async run(state) {
      if (!state.target) return skip('no server to check on');
      const names = wanted(state);
      if (names.length === 0) return pass('none wanted (`extensions: []`)');
      const where = state.server ? image(state) : 'the server at `url`';
      try {
        const versions = await verifyExtensions(state.target, names, where);
        return pass(`${names.map((name) => `${name} ${versions[name] ?? '?'}`).join(', ')} can be created`);
      } catch (error) {
        const failure = describeFailure(error);
        return fail(failure.cause, failure.fix);
      }
    },
  },
  {
    name: 'edition',
    title: 'TimescaleDB edition',
    async run(state) {
      if (!state.target) return skip('no server to check on');
      if (!wanted(state).includes('timescaledb')) return skip('timescaledb is not among the wanted extensions');
      const client = await connectClient({ connectionString: state.target, connectionTimeoutMillis: 3_000 }, 'doctor');
      const info = await describeServer(client, wanted(state)).finally(() => client.end());
      const summary = serverSummary(versionsOf(info), info.edition);
      if (info.edition === 'community') return pass(`${summary}: every TimescaleDB feature`);
      if (info.edition === 'apache') {
        return pass(summary, [
          `the Apache edition refuses ${APACHE_REFUSES}; migrations using them fail with MigrationLicenseError. The community edition: ${DEFAULT_IMAGE}`,
        ]);
      }
      return fail(
        `${summary}: timescaledb is not loaded`,
        "add timescaledb to the server's shared_preload_libraries (the timescale images do)",
      );
    },
  },
  {
    name: 'config',
    title: 'config and migrations',
    async run(state) {
      const file = CONFIG_FILES.find((name) => existsSync(join(state.cwd, name)));
      const found = file ? `${file}` : `no ${CONFIG_FILES[0].replace('.ts', '.*')} (defaults)`;
      if (state.configError !== undefined || !state.config) {
        const failure = describeFailure(state.configError);
        return fail(`${found}: ${failure.cause}`, failure.fix);
      }
      const dir = state.config.migrations;
      if (typeof dir !== 'string') {
        try {
          const hash = await migratorHash(dir);
          return pass(`${found}; migrations: ${dir.name ?? 'a migrator'}, hash ${hash.slice(0, 12)}`);
        } catch (error) {
          const failure = describeFailure(error);
          return fail(`${found}; migrations: ${failure.cause}`, failure.fix, [...failure.details]);
        }
      }
      const inside = relative(state.cwd, dir);
      const shown = inside === '' ? '.' : inside.startsWith('..') ? dir : inside;
      if (!existsSync(dir)) {
        return fail(
          `${found}; migrations folder ${shown} does not exist`,
          'set `migrations` in timescale-testkit.config.ts (or TIMESCALE_TESTKIT_MIGRATIONS) to your migrations folder',
        );
      }
      try {
        const plan = await inspectMigrations(dir, { format: state.config.format });
        return pass(
          `${found}; migrations ${shown}: ${plan.format}, ${plan.count} migration(s), hash ${plan.hash.slice(0, 12)}`,
        );
      } catch (error) {
        const failure = describeFailure(error);
        return fail(`${found}; migrations ${shown}: ${failure.cause}`, failure.fix, [...failure.details]);
      }
    },
  },
  {
    name: 'url',
    title: 'external server',
    async run(state) {
      const url = state.config?.url;
      if (!url) return skip('no `url` / TIMESCALE_TESTKIT_URL: the run starts a container');
      const host = new URL(url).hostname;
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
      } catch (error) {
        const failure = describeFailure(error);
        return fail(`${host}: ${failure.cause}`, failure.fix);
      } finally {
        await client.end().catch(() => undefined);
      }
      const guard = isSafeHost(host)
        ? `the guard treats ${host} as safe (loopback or TIMESCALE_TESTKIT_TRUSTED_HOSTS / TIMESCALE_TESTKIT_URL)`
        : `the guard does not count ${host} as safe by itself; the run trusts it as its configured url`;
      return pass(`${host} answers; ${guard}; truncate and drop touch only databases carrying the kit's marker`);
    },
  },
];

/** Loads the configuration the checks share (a failure is reported by the config check). */
export async function initialState(cwd: string, imageFlag: string | undefined, pull: boolean): Promise<DoctorState> {
  const state: DoctorState = {
    cwd,
    imageFlag,
    pull,
    config: undefined,
    configError: undefined,
    engine: undefined,
    imageReady: false,
    server: undefined,
    target: undefined,
  };
  try {
    state.config = await loadConfig(cwd, {}, { requireMigrations: false });
    state.target = state.config.url;
  } catch (error) {
    state.configError = error;
  }
  return state;
}
