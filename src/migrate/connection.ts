import pg from 'pg';
import { checkout, connectClient, connectionOf, type SqlTarget } from '../connection/index.js';

export interface MigrationConnection {
  client: pg.ClientBase;
  close(): Promise<void>;
}

/** One connection for the whole run (the advisory lock is per session); closes only what it opened. */
export async function openMigrationConnection(sql: SqlTarget): Promise<MigrationConnection> {
  const target = connectionOf(sql);
  if (target === undefined) {
    const client = await connectClient(sql as string, 'migration connection');
    return { client, close: () => client.end() };
  }
  if (target instanceof pg.Pool || ('totalCount' in target && !('release' in target))) {
    const client = await checkout(target as pg.Pool, 'migration connection');
    return { client, close: async () => client.release() };
  }
  // a client (or a client checked out of a pool): used as it is, the caller keeps it
  return { client: target as pg.ClientBase, close: async () => undefined };
}
