import { afterAll, beforeAll } from 'vitest';
import { createTemplate, type Template, type TestDatabase } from '../../src/index.js';
import { serverUrl } from './server.js';

const fixtures = new URL('../../fixtures/migrations', import.meta.url).pathname;

/** A clone of the reference schema for one test file, and a row counter. */
export interface ReferenceClone {
  readonly template: Template;
  readonly db: TestDatabase;
  /** Rows in `table` (trusted test input). */
  count(table: string): Promise<number>;
}

/**
 * Builds (or finds) the reference template before the file's tests and clones it once; drops
 * the clone and closes the template after them.
 */
export function referenceClone(runId: string): ReferenceClone {
  let template: Template | undefined;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    template = await createTemplate(serverUrl(), { migrations: fixtures, runId });
    db = await template.clone();
  });
  afterAll(async () => {
    await db?.drop();
    await template?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('referenceClone: used outside a test');
    return value;
  };
  return {
    get template() {
      return ready(template);
    },
    get db() {
      return ready(db);
    },
    async count(table) {
      const { rows } = await ready(db).query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]?.n ?? -1;
    },
  };
}
