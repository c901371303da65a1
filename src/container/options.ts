import { createHash, randomUUID } from 'node:crypto';
import { currentRunId, envFlag } from '../env/index.js';
import { DEFAULT_IMAGE, type PostgresMajor, resolveImage } from '../image/index.js';

export { currentRunId, DEFAULT_IMAGE };

export const DEFAULT_EXTENSIONS: readonly string[] = ['timescaledb', 'vector'];
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

/** Settings that trade durability for speed; a test database never survives a crash anyway. */
export const TEST_TUNING: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

export interface PoolSize {
  /** Most connections a pool opens (default 5). */
  max?: number;
  /** Connections a pool keeps open (default 1). */
  min?: number;
}

export interface TimescaleOptions {
  /**
   * Image to run; wins over everything else. Without it: env `TIMESCALE_TESTKIT_IMAGE`, else the
   * official image for `postgres` / `ha`, else {@link DEFAULT_IMAGE}.
   */
  image?: string;
  /** PostgreSQL major of the official image: 16, 17 (default) or 18. */
  postgres?: PostgresMajor;
  /** `timescale/timescaledb-ha` (adds pgvectorscale and timescaledb_toolkit) instead of `timescale/timescaledb`. */
  ha?: boolean;
  /** Database created at first start (default `test`). */
  database?: string;
  /** Superuser name (default `test`). */
  username?: string;
  /** Superuser password (default: random per container). */
  password?: string;
  /** Keep one container per configuration across runs (default: env `TIMESCALE_TESTKIT_REUSE=1`). */
  reuse?: boolean;
  /** Time allowed for the container to become ready (default 60 000 ms). */
  startupTimeoutMs?: number;
  /** fsync, synchronous_commit and full_page_writes off (default true). */
  tuning?: boolean;
  /** Data directory on tmpfs (default true). */
  tmpfs?: boolean;
  /** Extensions that must be creatable; their versions are reported (default timescaledb, vector). */
  extensions?: readonly string[];
  /** Extra server settings, passed as `-c key=value`. */
  settings?: Readonly<Record<string, string | number | boolean>>;
  /** Defaults for {@link StartedTimescale.pool}. */
  pool?: PoolSize;
  /** Run id written on the container's labels (default: a new one per process). */
  runId?: string;
  /** Time allowed to reach the Docker engine (default 1 500 ms, so a missing engine fails within 2 s). */
  dockerTimeoutMs?: number;
  /**
   * Connect to the container's own address when this machine can reach it (Docker Engine on
   * Linux), past Docker's port proxy: about 100 µs less per round trip. Off by default (env
   * `TIMESCALE_TESTKIT_DIRECT=1`): a dead container's address is not refused, so a new
   * connection to it waits for the kernel to give up instead of failing at once. Where the
   * address does not answer, the published port is used.
   */
  direct?: boolean;
}

export interface ResolvedTimescaleOptions {
  image: string;
  database: string;
  username: string;
  password: string | undefined;
  reuse: boolean;
  startupTimeoutMs: number;
  tuning: boolean;
  tmpfs: boolean;
  extensions: readonly string[];
  settings: Readonly<Record<string, string>>;
  pool: Required<PoolSize>;
  runId: string;
  dockerTimeoutMs: number;
  direct: boolean;
  configHash: string;
}

export function resolveOptions(options: TimescaleOptions = {}): ResolvedTimescaleOptions {
  const tuning = options.tuning ?? true;
  const settings: Record<string, string> = tuning ? { ...TEST_TUNING } : {};
  for (const [key, value] of Object.entries(options.settings ?? {})) settings[key] = String(value);
  const base = {
    image: resolveImage(options),
    database: options.database ?? 'test',
    username: options.username ?? 'test',
    tmpfs: options.tmpfs ?? true,
    extensions: [...(options.extensions ?? DEFAULT_EXTENSIONS)],
    settings,
  };
  return {
    ...base,
    tuning,
    password: options.password,
    reuse: options.reuse ?? envFlag('TIMESCALE_TESTKIT_REUSE') ?? false,
    startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    pool: { max: options.pool?.max ?? 5, min: options.pool?.min ?? 1 },
    runId: options.runId ?? currentRunId(),
    dockerTimeoutMs: options.dockerTimeoutMs ?? 1_500,
    direct: options.direct ?? envFlag('TIMESCALE_TESTKIT_DIRECT') ?? false,
    configHash: hashConfig(base),
  };
}

/** A short stable hash of what makes two containers interchangeable. */
export function hashConfig(config: object): string {
  return createHash('sha256').update(stableJson(config)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function randomPassword(): string {
  return randomUUID().replaceAll('-', '');
}
