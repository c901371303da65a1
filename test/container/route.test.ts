import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseRoute, publishedHost, reachable, routed } from '../../src/container/route.js';

/** A TCP listener on loopback, and a loopback port nothing listens on. */
let server: Server;
let open: number;
let closed: number;

async function listen(): Promise<Server> {
  const listener = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return listener;
}
const portOf = (listener: Server) => (listener.address() as { port: number }).port;

beforeAll(async () => {
  server = await listen();
  open = portOf(server);
  const gone = await listen();
  closed = portOf(gone);
  await new Promise((resolve) => gone.close(resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const published = { host: 'localhost', port: 32768 };
const choice = (own: { host: string; port: number } | undefined) => ({
  wanted: true,
  platform: 'linux' as const,
  localEngine: true,
  own,
  published,
});

describe('chooseRoute', () => {
  it('takes the container’s own address when it answers', async () => {
    expect(await chooseRoute(choice({ host: '127.0.0.1', port: open }))).toEqual({
      host: '127.0.0.1',
      port: open,
      kind: 'direct',
    });
  });

  it('falls back to the published port when the own address refuses', async () => {
    expect(await chooseRoute(choice({ host: '127.0.0.1', port: closed }))).toEqual({ ...published, kind: 'published' });
  });

  it('falls back when the own address does not answer within the timeout', async () => {
    // TEST-NET-1 (RFC 5737): routed nowhere, so the connect neither opens nor is refused quickly
    const route = await chooseRoute({ ...choice({ host: '192.0.2.1', port: 5432 }), timeoutMs: 100 });
    expect(route.kind).toBe('published');
  });

  it('connects to the loopback address the published port is bound to, not to the name localhost', async () => {
    const bound = { ...choice(undefined), wanted: false, boundTo: '127.0.0.1' };
    expect(await chooseRoute(bound)).toEqual({ host: '127.0.0.1', port: 32768, kind: 'published' });
    expect(await chooseRoute({ ...bound, published: { host: 'LocalHost', port: 1 } })).toEqual({
      host: '127.0.0.1',
      port: 1,
      kind: 'published',
    });
    // any other host is where the engine publishes (a remote engine, an override): kept
    const remote = { host: 'docker.example', port: 32768 };
    expect(await chooseRoute({ ...bound, published: remote })).toEqual({ ...remote, kind: 'published' });
    // a port bound to no particular address: the name is kept
    expect(await chooseRoute({ ...bound, boundTo: undefined })).toEqual({ ...published, kind: 'published' });
    expect(publishedHost('localhost', '0.0.0.0')).toBe('localhost');
    expect(publishedHost('localhost', '::')).toBe('localhost');
  });

  it('does not try where the direct route cannot or should not be taken', async () => {
    const own = { host: '127.0.0.1', port: open };
    for (const patch of [{ wanted: false }, { platform: 'darwin' as const }, { localEngine: false }]) {
      expect(await chooseRoute({ ...choice(own), ...patch })).toEqual({ ...published, kind: 'published' });
    }
    expect(await chooseRoute(choice(undefined))).toEqual({ ...published, kind: 'published' });
    expect(await chooseRoute(choice({ host: '', port: 5432 }))).toEqual({ ...published, kind: 'published' });
  });
});

describe('reachable', () => {
  it('answers whether a TCP connection opens', async () => {
    expect(await reachable({ host: '127.0.0.1', port: open }, 1_000)).toBe(true);
    expect(await reachable({ host: '127.0.0.1', port: closed }, 1_000)).toBe(false);
  });
});

describe('routed', () => {
  it('replaces host and port and keeps credentials, database and parameters', () => {
    const url = 'postgres://test:p%40ss@localhost:32768/test?sslmode=disable';
    expect(routed(url, { host: '172.17.0.2', port: 5432 })).toBe(
      'postgres://test:p%40ss@172.17.0.2:5432/test?sslmode=disable',
    );
    expect(routed(url, { host: 'fd00::2', port: 5432 })).toBe(
      'postgres://test:p%40ss@[fd00::2]:5432/test?sslmode=disable',
    );
  });
});
