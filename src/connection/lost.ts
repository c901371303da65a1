/** SQLSTATEs and socket errors that mean the server (or the connection to it) went away. */
const LOST_CODES = new Set([
  '57P01', // admin_shutdown: terminated by the administrator, or the server shutting down
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '08000',
  '08003',
  '08006',
  '08001',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const LOST_MESSAGES =
  /Connection terminated|not queryable|terminating connection due to (unexpected postmaster exit|administrator command)|server closed the connection/i;

/** True when `error` says the connection to the server was lost or refused. */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && LOST_CODES.has(code)) return true;
  if (error instanceof AggregateError && error.errors.some(isConnectionLost)) return true;
  if (LOST_MESSAGES.test(error.message)) return true;
  // a kit error wrapping the lost connection (e.g. a migration that was running)
  return error.cause !== undefined && error.cause !== error && isConnectionLost(error.cause);
}

/** The code or a short reason of a lost connection, for messages. */
export function lostReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
