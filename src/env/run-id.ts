import { randomBytes } from 'node:crypto';

const processRunId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** The id of this process's run; names of everything the kit makes carry it. */
export function currentRunId(): string {
  return process.env.TIMESCALE_TESTKIT_RUN_ID ?? processRunId;
}
