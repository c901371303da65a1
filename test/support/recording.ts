import pg from 'pg';

/** A pg.Client that records the text of every query it sends (a pool's clients, through `Client`). */
export function recordingClient(texts: string[]): typeof pg.Client {
  return class extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads; this only records the text
    override query(...args: any[]): any {
      const first = args[0] as string | { text: string };
      texts.push(typeof first === 'string' ? first : first.text);
      // biome-ignore lint/suspicious/noExplicitAny: forwarded as given
      return (super.query as (...a: any[]) => any)(...args);
    }
  };
}

/** A one-connection pool on `connectionString` whose statements' texts land in `texts`. */
export function recordingPool(connectionString: string): { pool: pg.Pool; texts: string[] } {
  const texts: string[] = [];
  return { pool: new pg.Pool({ connectionString, max: 1, Client: recordingClient(texts) }), texts };
}
