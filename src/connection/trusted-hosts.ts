/**
 * Hosts of servers the kit started (a container's own address on the direct route, a remote
 * engine's host) or was explicitly pointed at: the truncation and drop guard counts them as
 * safe, as it does loopback. They are kept in env TIMESCALE_TESTKIT_TRUSTED_HOSTS, where the
 * user may list hosts too, so that the processes this one starts afterwards (test workers)
 * trust them as well.
 */
const TRUSTED_ENV = 'TIMESCALE_TESTKIT_TRUSTED_HOSTS';

/** Hosts named in env TIMESCALE_TESTKIT_TRUSTED_HOSTS (comma-separated). */
function trustedHosts(): string[] {
  return (process.env[TRUSTED_ENV]?.split(',') ?? []).map((host) => host.trim()).filter(Boolean);
}

export function trustHost(host: string): void {
  const listed = trustedHosts();
  if (!listed.includes(host)) process.env[TRUSTED_ENV] = [...listed, host].join(',');
}

export function isTrustedHost(host: string): boolean {
  return trustedHosts().includes(host);
}
