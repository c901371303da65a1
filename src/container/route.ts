// How this machine reaches the server: the port Docker publishes, or, where the host can reach
// the container's own address (Docker Engine on Linux), that address, past Docker's port proxy.
import { connect } from 'node:net';

export interface Address {
  host: string;
  port: number;
}

/** `direct`: the container's own address; `published`: the host port Docker publishes. */
export type RouteKind = 'direct' | 'published';

export interface Route extends Address {
  kind: RouteKind;
}

export interface RouteChoice {
  /** The direct route is wanted (option `direct`, env TIMESCALE_TESTKIT_DIRECT). */
  wanted: boolean;
  /** Containers' own addresses are reachable from the host only where the engine runs on it: Linux. */
  platform: NodeJS.Platform;
  /** The engine runs on this machine (a remote engine's container addresses are on its host). */
  localEngine: boolean;
  /** The container's address on its network and the server's port there, when it has one. */
  own: Address | undefined;
  published: Address;
  /**
   * The host address the published port is bound to (loopback, on a local engine). Where the
   * published host is `localhost`, connections go to this address: no name lookup per
   * connection, and no try of an IPv6 loopback the port is not bound to.
   */
  boundTo?: string | undefined;
  /** How long the reachability probe may take (default 250 ms). */
  timeoutMs?: number;
}

/**
 * The direct route when it is wanted, possible here, and answers a TCP connect within the
 * timeout; else the published port. Rootless engines, Docker Desktop's VM, a firewall: the
 * probe fails or is never tried, and nothing changes.
 */
export async function chooseRoute(choice: RouteChoice): Promise<Route> {
  const published: Route = {
    host: publishedHost(choice.published.host, choice.boundTo),
    port: choice.published.port,
    kind: 'published',
  };
  const own = choice.own;
  if (!choice.wanted || choice.platform !== 'linux' || !choice.localEngine || !own?.host) return published;
  return (await reachable(own, choice.timeoutMs ?? 250)) ? { ...own, kind: 'direct' } : published;
}

/** `localhost` is the address the port is bound to, when it is bound to one; any other host is kept. */
export function publishedHost(host: string, boundTo: string | undefined): string {
  const specific = boundTo && boundTo !== '0.0.0.0' && boundTo !== '::' ? boundTo : undefined;
  return specific && host.toLowerCase() === 'localhost' ? specific : host;
}

/** Whether a TCP connection to the address opens within the timeout. */
export function reachable({ host, port }: Address, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A connection string with its host and port replaced. */
export function routed(connectionString: string, { host, port }: Address): string {
  const url = new URL(connectionString);
  url.hostname = host.includes(':') ? `[${host}]` : host;
  url.port = String(port);
  return url.toString();
}
