// Statements sent ahead of a query in the same round trip: the per-test transaction's BEGIN,
// the RELEASE of the last statement's savepoint, the SAVEPOINT of the next. pg waits for each
// query's answer before it sends the next, so each would cost a round trip of its own.
import pg from 'pg';
import { type QueryArgs, send } from './pool-shim.js';

/** What pg's Query does inside, used to put messages of its own before the query's. */
interface QueryInternals {
  requiresPreparation?: () => boolean;
  prepare?: (connection: unknown) => void;
  text?: string;
  /** Read by pg's client from the query it is given: the config's own, carried over. */
  query_timeout?: number;
}

interface ExtendedProtocol {
  parse(query: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string; rows: number }): void;
}

type Results = pg.QueryResult | pg.QueryResult[];

/** The results of `ahead` dropped: the query's own result (or results, for several statements). */
function own(results: Results, ahead: number): Results {
  const list = Array.isArray(results) ? results : [results];
  const rest = list.slice(ahead);
  return rest.length === 1 ? (rest[0] as pg.QueryResult) : rest;
}

/**
 * Whether the connection has parsed the named statement (pg records it on the server's
 * ParseComplete). Its first run keeps a round trip of its own for what goes ahead: pg takes any
 * ParseComplete during the query for the statement's, so a failure ahead of its Parse would
 * leave it recorded as parsed. Parsed, it is only bound and executed, with what goes ahead.
 */
function parsed(client: pg.ClientBase, name: string, text: string | undefined): boolean {
  const wire = (client as { connection?: { parsedStatements?: Record<string, string> } }).connection;
  return text !== undefined && wire?.parsedStatements?.[name] === text;
}

/**
 * Runs `ahead`, then the query, in one round trip:
 * - a query with parameters (the extended protocol): each statement ahead goes out as its own
 *   Parse/Bind/Execute in front of the query's messages, all under the query's one Sync;
 * - a query without (the simple protocol, which may hold several statements): the statements
 *   ahead lead its text, and an error's position is given back relative to the query's own text.
 * A statement ahead that fails fails the query, which then does not run. Custom submittables
 * (cursors, streams) and a named statement's first run get the statements ahead in a round trip
 * of their own.
 */
export async function sendAhead(
  client: pg.ClientBase,
  ahead: readonly string[],
  args: QueryArgs,
): Promise<pg.QueryResult> {
  const [first, values] = args;
  if (ahead.length === 0) return send(client, args);
  const text = typeof first === 'string' ? first : first.text;
  const apart =
    typeof first !== 'string' && ('submit' in first || (first.name !== undefined && !parsed(client, first.name, text)));
  const internals = pg.Query.prototype as QueryInternals;
  if (
    apart ||
    !text?.trim() ||
    typeof internals.requiresPreparation !== 'function' ||
    typeof internals.prepare !== 'function'
  ) {
    await client.query(ahead.join('; '));
    return send(client, args);
  }
  let resolve: (results: Results) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const done = new Promise<Results>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // a copy: pg's Query writes its callback onto the config it is given
  const config = typeof first === 'string' ? first : { ...first };
  const query = new pg.Query(config as pg.QueryConfig, values as unknown[], (error, results) =>
    error ? reject(error) : resolve(results as unknown as Results),
  ) as pg.Query & QueryInternals & Required<Pick<QueryInternals, 'prepare' | 'requiresPreparation'>>;
  const timeout = typeof first === 'string' ? undefined : (first as { query_timeout?: unknown }).query_timeout;
  if (typeof timeout === 'number') query.query_timeout = timeout;
  const prepare = query.prepare;
  let offset = 0;
  if (query.requiresPreparation()) {
    query.prepare = function prepareAhead(this: pg.Query, connection: unknown) {
      const protocol = connection as ExtendedProtocol;
      for (const statement of ahead) {
        protocol.parse({ text: statement, name: '', types: [] });
        protocol.bind({ portal: '', statement: '', values: [] });
        protocol.execute({ portal: '', rows: 0 });
      }
      prepare.call(this, connection);
    };
  } else {
    const lead = `${ahead.join('; ')}; `;
    offset = lead.length;
    query.text = `${lead}${text}`;
  }
  client.query(query);
  try {
    return own(await done, ahead.length) as pg.QueryResult;
  } catch (error) {
    // as pg does for a query it answers with a promise: the stack leads back to the caller
    if (error instanceof Error) Error.captureStackTrace(error);
    const position = (error as { position?: unknown }).position;
    if (offset > 0 && typeof position === 'string' && Number(position) > offset) {
      (error as { position: string }).position = String(Number(position) - offset);
    }
    throw error;
  }
}
