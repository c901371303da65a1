import { networkInterfaces } from 'node:os';

/** The Node version package.json's `engines` asks for. */
export const MIN_NODE = '22.22.0';

/** What the Apache edition refuses ("not supported under the current "apache" license"). */
export const APACHE_REFUSES =
  'continuous aggregates, compression / columnstore, retention, compression and refresh policies, reorder_chunk and user-defined jobs';

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** What one check found: ✓ (pass), ✗ (fail, with the fix) or – (skip, with the reason). */
export interface Outcome {
  status: CheckStatus;
  detail: string;
  fix?: string;
  notes?: string[];
}

export const pass = (detail: string, notes: string[] = []): Outcome => ({ status: 'pass', detail, notes });
export const fail = (detail: string, fix: string, notes: string[] = []): Outcome => ({
  status: 'fail',
  detail,
  fix,
  notes,
});
export const skip = (detail: string): Outcome => ({ status: 'skip', detail });

/** `a.b.c` compared numerically. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Hints for the engines testcontainers users meet, from the socket testcontainers resolved. */
export function engineNotes(endpoint: string): string[] {
  const notes: string[] = [];
  if (endpoint.includes('podman')) {
    notes.push(
      'Podman: rootless Ryuk does not work (TESTCONTAINERS_RYUK_DISABLED=true, or rootful with TESTCONTAINERS_RYUK_PRIVILEGED=true); on macOS also TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE=/var/run/docker.sock',
    );
  }
  if (endpoint.includes('.colima'))
    notes.push('Colima: set TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE=/var/run/docker.sock');
  if (/\/run\/user\/\d+\//.test(endpoint)) {
    notes.push(
      'rootless engine: if Ryuk fails to start, TESTCONTAINERS_RYUK_DISABLED=true (`timescale-testkit prune` cleans up)',
    );
  }
  return notes;
}

/**
 * The bridge-gateway trap: with /.dockerenv present testcontainers reaches containers through the
 * bridge gateway; when that address is this machine's own, the engine is local after all.
 */
export function hostOutcome(
  host: string,
  inContainer: boolean,
  ownAddresses: readonly string[],
  override: string | undefined,
): Outcome {
  const where = `containers are reached at ${host}`;
  if (override) return pass(`${where} (TESTCONTAINERS_HOST_OVERRIDE=${override})`);
  if (!inContainer) return pass(`${where} (no /.dockerenv)`);
  if (ownAddresses.includes(host)) {
    return fail(
      `${where}: /.dockerenv exists, so testcontainers uses the Docker bridge gateway, yet that address is this machine's own (the engine is local): ports are published on every interface`,
      'export TESTCONTAINERS_HOST_OVERRIDE=localhost (keeps traffic and published ports on loopback)',
    );
  }
  return pass(`${where} (/.dockerenv exists: the Docker bridge gateway)`);
}

export function ownAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));
}
