import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectClient } from '../connection/index.js';

/**
 * PBKDF2 iterations of the kit's own password. PostgreSQL's default (4096) stretches a password
 * a person chose against guessing; the kit's is 128 random bits on a loopback-bound test server,
 * where stretching adds nothing but the client's and the server's work on every connection.
 */
export const KIT_SCRAM_ITERATIONS = 1;

/**
 * A SCRAM-SHA-256 verifier of `password` as PostgreSQL stores it (RFC 5802/7677):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. The password is the kit's
 * (ASCII), so SASLprep leaves it as it is.
 */
export function scramVerifier(password: string, iterations: number, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/**
 * Stores the kit's password of its own container with {@link KIT_SCRAM_ITERATIONS} iterations
 * (the same password: only the verifier changes, sent pre-hashed, never in clear). Idempotent:
 * a reused container already stored this way is left alone. Returns whether it changed it.
 */
export async function lightenAuthentication(connectionString: string, password: string): Promise<boolean> {
  const client = await connectClient(connectionString, 'authentication');
  try {
    const { rows } = await client.query<{ role: string; stored: string | null }>(
      'SELECT rolname AS role, rolpassword AS stored FROM pg_authid WHERE rolname = current_user',
    );
    const row = rows[0];
    if (!row?.stored?.startsWith('SCRAM-SHA-256$') || row.stored.startsWith(`SCRAM-SHA-256$${KIT_SCRAM_ITERATIONS}:`)) {
      return false;
    }
    const verifier = scramVerifier(password, KIT_SCRAM_ITERATIONS);
    await client.query(`ALTER ROLE ${pg.escapeIdentifier(row.role)} PASSWORD ${pg.escapeLiteral(verifier)}`);
    return true;
  } finally {
    await client.end();
  }
}
