import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The kit's folder for state shared by the processes of this machine (locks, secrets, exits). */
export function kitStateDir(): string {
  return process.env.TIMESCALE_TESTKIT_STATE_DIR ?? join(tmpdir(), 'timescale-testkit');
}
