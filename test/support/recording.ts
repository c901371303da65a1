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

/**
 * A one-connection pool on `connectionString` that records what goes over the wire, one entry
 * per round trip: the statements of a simple query (its text), or of an extended-protocol
 * batch (each Parse's text) up to its Sync.
 */
export function recordingTrips(connectionString: string): { pool: pg.Pool; trips: string[][] } {
  const trips: string[][] = [];
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('connect', (client) => {
    const wire = (client as unknown as { connection: Record<string, (...args: unknown[]) => unknown> }).connection;
    let batch: string[] = [];
    const { query, parse, bind, sync } = wire;
    wire.query = function recordQuery(this: unknown, text: unknown) {
      trips.push([String(text)]);
      return query?.call(this, text);
    };
    wire.parse = function recordParse(this: unknown, message: unknown) {
      batch.push((message as { text: string }).text);
      return parse?.call(this, message);
    };
    // a named statement is parsed once per connection, then only bound: recorded by its name
    wire.bind = function recordBind(this: unknown, message: unknown) {
      const name = (message as { statement?: string }).statement;
      if (name) batch.push(`EXECUTE ${name}`);
      return bind?.call(this, message);
    };
    wire.sync = function recordSync(this: unknown) {
      trips.push(batch);
      batch = [];
      return sync?.call(this);
    };
  });
  return { pool, trips };
}
