import pg from 'pg';
import type { LoadedMigration } from './types.js';

export interface LedgerRow {
  version: string;
  name: string;
  checksum: string;
}

/** The table recording applied migrations: version, name, checksum, applied_at, duration_ms. */
export class Ledger {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`, safe to put in SQL. */
  readonly qualified: string;

  constructor(schema: string, table: string) {
    this.schema = schema;
    this.table = table;
    this.qualified = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
  }

  async ensure(client: pg.ClientBase): Promise<void> {
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
    if (!rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${this.qualified} (
        version     text PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL
      )`,
    );
  }

  async read(client: pg.ClientBase): Promise<Map<string, LedgerRow>> {
    const { rows } = await client.query<LedgerRow>(`SELECT version, name, checksum FROM ${this.qualified}`);
    return new Map(rows.map((row) => [row.version, row]));
  }

  /** Records (or, for a repeatable migration, re-records) a migration. */
  async record(client: pg.ClientBase, migration: LoadedMigration, ms: number): Promise<void> {
    await client.query(
      `INSERT INTO ${this.qualified} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (version) DO UPDATE
       SET name = EXCLUDED.name, checksum = EXCLUDED.checksum, applied_at = now(), duration_ms = EXCLUDED.duration_ms`,
      [migration.version, migration.name, migration.checksum, Math.round(ms)],
    );
  }
}
