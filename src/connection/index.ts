export { checkout, connectClient, createPool, ensureConnected } from './clients.js';
export { withDatabase } from './database-url.js';
export { isConnectionLost, lostReason } from './lost.js';
export {
  explainingLoss,
  explainLostServer,
  forgetServerExit,
  readServerExit,
  recordServerExit,
  type ServerExit,
  ServerGoneError,
  type ServerRef,
  serverAddress,
} from './server-gone.js';
export { type Connection, connectionOf, type DatabaseHandle, type SqlTarget } from './sql-target.js';
export { isTrustedHost, trustHost } from './trusted-hosts.js';
