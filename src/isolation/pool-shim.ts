import pg from 'pg';

/** The arguments of `query()` without a trailing callback. */
export type QueryArgs = [string | pg.QueryConfig, unknown[]?];
type Callback = (error: Error | null, result?: pg.QueryResult) => void;
type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void;

export const noop = () => undefined;

export function textOf([first]: QueryArgs): string {
  return typeof first === 'string' ? first : first.text;
}

export function send(client: pg.ClientBase, [first, values]: QueryArgs): Promise<pg.QueryResult> {
  return typeof first === 'string' ? client.query(first, values) : client.query(first, values);
}

/** pg's callback style on top of a promise: with a callback, the callback gets the outcome. */
export function withCallback(
  promise: Promise<pg.QueryResult>,
  args: readonly unknown[],
): Promise<pg.QueryResult> | undefined {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return promise;
  promise.then(
    (result) => (last as Callback)(null, result),
    (error: Error) => (last as Callback)(error),
  );
  return undefined;
}

export function stripCallback(args: readonly unknown[]): QueryArgs {
  return (typeof args[args.length - 1] === 'function' ? args.slice(0, -1) : args) as QueryArgs;
}

/** `pool.connect()` in both of pg's styles, on top of a promise of a client. */
export function connectStyle(
  checkout: Promise<pg.PoolClient>,
  callback: ConnectCallback | undefined,
): Promise<pg.PoolClient> | undefined {
  if (!callback) return checkout;
  checkout.then(
    (client) => callback(undefined, client, () => client.release()),
    (error: Error) => callback(error, undefined, noop),
  );
  return undefined;
}

/** The server process id of a connection (pg keeps it from the startup handshake). */
export function backendPid(client: pg.ClientBase): number | undefined {
  const pid = (client as unknown as { processID?: unknown }).processID;
  return typeof pid === 'number' ? pid : undefined;
}

/** A pool handed to a test on connections the kit owns: the test ending it is a no-op. */
export class BorrowedPool extends pg.Pool {
  override end(): Promise<void>;
  override end(callback: () => void): void;
  override end(callback?: () => void): Promise<void> | undefined {
    if (callback) {
      callback();
      return undefined;
    }
    return Promise.resolve();
  }
}
