import { threadId } from 'node:worker_threads';

/*
 * Every database name the kit makes, in one place. PostgreSQL folds nothing in a quoted name
 * but the kit keeps names lower case, and cuts them at 63 bytes (NAMEDATALEN - 1).
 */

const MAX_NAME = 63;

/** The template of a migrations hash: `tk_tpl_<hash>`. */
export function templateName(hash: string): string {
  return `tk_tpl_${hash.slice(0, 24)}`;
}

/** What every clone of a run starts with: `tk_<run id>_`. */
export function runPrefix(runId: string): string {
  return `tk_${runId}_`.toLowerCase();
}

/** The clones a run's global setup keeps waiting for the workers: `tk_<run id>_shared_<n>`. */
export function sharedPrefix(runId: string): string {
  return `${runPrefix(runId)}shared_`;
}

/** The clones a run's clone broker makes and hands out (never renamed): `tk_<run id>_pool_<n>`. */
export function brokerPrefix(runId: string): string {
  return `${runPrefix(runId)}pool_`;
}

/** A clone made by this process (and worker thread): `tk_<run id>_<pid>_<thread>_<n>`. */
export function cloneName(runId: string, counter: number): string {
  return `${runPrefix(runId)}${process.pid}_${threadId}_${counter}`.slice(0, MAX_NAME);
}
