/**
 * Anything that can build a schema: the kit keys its template database on `hash()` and, when no
 * template has that hash yet, calls `migrate()` once on a new, empty database that becomes it.
 *
 * @example
 * ```ts
 * const migrator: Migrator = {
 *   hash: () => 'schema-v3',
 *   migrate: async (url) => { await runMyMigrations(url) },
 * }
 * await createTemplate(server, { migrations: migrator })
 * ```
 */
export interface Migrator {
  /**
   * What decides whether the template must be rebuilt: equal hashes share one template, a
   * changed hash builds a new one. Hash every input of the schema (migration files, command).
   */
  hash(): string | Promise<string>;
  /**
   * Applies every migration to the database at `connectionString` (a new, empty database). What
   * the promise resolves to is ignored (the folder migrator's report is kept as the template's).
   */
  migrate(connectionString: string): Promise<unknown>;
  /** What it is, for messages: `folder ./migrations`, `command npx knex migrate:latest`. */
  readonly name?: string;
}
