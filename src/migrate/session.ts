import type pg from 'pg';
import { checkout, connectClient } from '../connection/index.js';

/** Where to migrate: a connection string, a pg Pool, or a connected pg Client / PoolClient. */
export type MigrationTarget = string | pg.Pool | pg.Client | pg.PoolClient;

export interface Session {
  client: pg.ClientBase;
  close(): Promise<void>;
}

/** One connection for the whole run (the advisory lock is per session); closes only what it opened. */
export async function openSession(target: MigrationTarget): Promise<Session> {
  if (typeof target === 'string') {
    const client = await connectClient(target, 'migration connection');
    return { client, close: () => client.end() };
  }
  if ('release' in target && typeof target.release === 'function') {
    return { client: target, close: async () => undefined };
  }
  if ('totalCount' in target) {
    const client = await checkout(target, 'migration connection');
    return { client, close: async () => client.release() };
  }
  return { client: target as pg.Client, close: async () => undefined };
}
