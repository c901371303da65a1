/**
 * Hosts of servers the kit started (a container's own address on the direct route, a remote
 * engine's host) or was explicitly pointed at: the truncation and drop guard counts them as
 * safe, as it does loopback. A trusted host is also added to env TIMESCALE_TESTKIT_TRUSTED_HOSTS,
 * so that the processes this one starts afterwards (test workers) trust it too.
 */
const TRUSTED_ENV = 'TIMESCALE_TESTKIT_TRUSTED_HOSTS';
const trusted = new Set<string>();

/** Hosts named in env TIMESCALE_TESTKIT_TRUSTED_HOSTS (comma-separated). */
export function trustedFromEnv(): string[] {
  return (process.env[TRUSTED_ENV]?.split(',') ?? []).map((host) => host.trim()).filter(Boolean);
}

export function trustHost(host: string): void {
  if (trusted.has(host)) return;
  trusted.add(host);
  const listed = trustedFromEnv();
  if (!listed.includes(host)) process.env[TRUSTED_ENV] = [...listed, host].join(',');
}

export function isTrustedHost(host: string): boolean {
  return trusted.has(host) || trustedFromEnv().includes(host);
}
