import pg from 'pg';
import { logger } from '../env/index.js';

const debug = logger('connection');

/**
 * Every pg client and pool the kit creates has an `error` listener: a server that goes away
 * (a killed container, a dropped database) emits `error` on idle connections, and without a
 * listener that is an uncaught exception that ends the process. The next query on such a
 * connection fails instead, and the kit turns that failure into a typed error.
 */
function listen(emitter: pg.Pool | pg.ClientBase, what: string): void {
  const onError = (error: Error) => debug(`${what}: connection lost: ${error.message}`);
  (emitter as NodeJS.EventEmitter).on('error', onError);
}

/** A connected pg.Client with an error listener; ended (and the error kept) if connecting fails. */
export async function connectClient(config: string | pg.ClientConfig, what = 'client'): Promise<pg.Client> {
  const client = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
  listen(client, what);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/**
 * A pg.Pool with an error listener on the pool (idle connections) and on each of its clients
 * (pg-pool drops its own listener while a client is checked out, and a connection the server
 * ends while it is closing would otherwise be an uncaught error).
 */
export function createPool(config: pg.PoolConfig, what = 'pool'): pg.Pool {
  const pool = new pg.Pool(config);
  listen(pool, what);
  pool.on('connect', (client) => listen(client, `${what} client`));
  return pool;
}

/**
 * A client checked out of `pool`, with an error listener while it is out (pg-pool removes its
 * own idle listener at checkout), removed again when it is released.
 */
export async function checkout(pool: pg.Pool, what = 'checked-out client'): Promise<pg.PoolClient> {
  const client = await pool.connect();
  const onError = (error: Error) => debug(`${what}: connection lost: ${error.message}`);
  client.on('error', onError);
  const release = client.release.bind(client);
  client.release = (destroy?: boolean | Error) => {
    client.off('error', onError);
    return release(destroy);
  };
  return client;
}

/**
 * Connects a pg.Client that was created but never connected (a query on it would wait
 * forever); a client already connected, connecting or ended is left as it is. pg has no public
 * flag for this, so its two state fields are read defensively.
 */
export async function ensureConnected(client: pg.Client): Promise<void> {
  const state = client as unknown as { _connected?: unknown; _connecting?: unknown; _ending?: unknown };
  if (state._connected === false && state._connecting === false && state._ending === false) {
    await client.connect();
  }
}
