import { expect, test } from '../../src/vitest/index.js';

/**
 * Four files (parallel-1..4) run on two workers at once; each writes the same primary key
 * and commits it; each must see only its own row.
 */
export function parallelCase(file: number): void {
  // truncate mode commits for real, so a shared database would show the other files' rows
  const committed = test.override({ isolation: 'truncate' });

  committed(`file ${file} sees only its own rows`, async ({ db }) => {
    await db.query("INSERT INTO agent_status (name, type, status, pid) VALUES ('shared', 'worker', 'RUNNING', $1)", [
      file,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const { rows } = await db.query<{ pid: number }>("SELECT pid FROM agent_status WHERE name = 'shared'");
    expect(rows).toEqual([{ pid: file }]);
  });

  committed(`file ${file} keeps its clone across tests, without the earlier rows`, async ({ db }) => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_status');
    expect(rows[0]?.n).toBe(0);
    expect(db.name).toMatch(/^tk_/);
  });
}
