import type pg from 'pg';
import { connectClient } from '../connection/index.js';
import {
  CANDLE_INTERVALS,
  type CandleInterval,
  createFactories,
  type Factories,
  INTERVAL_MS,
  referenceMigrations,
  type TradingSession,
} from '../domain/index.js';
import { databaseUrl, list, parseCommand, wholeNumber } from './args.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { type CliIo, columns, step } from './output.js';

export interface SeedOptions {
  /** Trading sessions, each with orders (filled, with trades), positions and metric series. */
  sessions: number;
  /** Orders per session (each with {@link TRADES_PER_ORDER} trades). */
  orders: number;
  /** Candles per symbol. */
  candles: number;
  symbols: readonly string[];
  interval: CandleInterval;
  /** Agents, each with a status row, signals and LLM decisions (with embeddings). */
  agents: number;
  /** Faker seed: the same seed gives the same rows (default random, printed). */
  seed?: number;
}

export const SEED_DEFAULTS: Readonly<Omit<SeedOptions, 'seed'>> = {
  sessions: 3,
  orders: 4,
  candles: 1_440,
  symbols: ['BTCUSDT', 'ETHUSDT'],
  interval: '1m',
  agents: 3,
};

const TRADES_PER_ORDER = 2;
const METRIC_POINTS = 24;
const METRICS = ['equity', 'drawdown'];
const SIGNALS_PER_AGENT = 10;
const DECISIONS_PER_AGENT = 5;
const AGENT_TYPES = ['technical', 'sentiment', 'risk', 'orchestrator'];

export const SEED_USAGE = `timescale-testkit seed [options]

Writes demo data into the reference trading schema (fixtures/migrations) through the kit's
factories, in one transaction.

Options:
  --url URL          database (default: TIMESCALE_TESTKIT_URL, else DATABASE_URL)
  --sessions N       trading sessions (default ${SEED_DEFAULTS.sessions}); each gets --orders filled orders with
                     ${TRADES_PER_ORDER} trades each, 2 positions (one closed) and ${METRIC_POINTS} hourly equity and drawdown points
  --orders N         orders per session (default ${SEED_DEFAULTS.orders})
  --candles N        candles per symbol (default ${SEED_DEFAULTS.candles}: a day of 1m candles), after the
                     symbol's latest candle if it has some
  --symbols LIST     comma-separated symbols (default ${SEED_DEFAULTS.symbols.join(',')})
  --interval I       candle interval: ${CANDLE_INTERVALS.join(', ')} (default ${SEED_DEFAULTS.interval})
  --agents N         agents (default ${SEED_DEFAULTS.agents}); each gets a status row, ${SIGNALS_PER_AGENT} signals and
                     ${DECISIONS_PER_AGENT} LLM decisions with 1536-dimension embeddings
  --seed N           faker seed: the same seed writes the same rows (default: random, printed)
  -h, --help         this text

Exit codes: 0 seeded, 1 failed (nothing is written), 2 usage error.`;

export interface SeedResult {
  seed: number;
  /** Rows written per table, in insertion order. */
  counts: [table: string, rows: number][];
}

function requiredTables(options: SeedOptions): string[] {
  return [
    ...(options.sessions > 0 ? ['trading_sessions', 'orders', 'trades', 'positions', 'performance_metrics'] : []),
    ...(options.candles > 0 && options.symbols.length > 0 ? ['candlesticks'] : []),
    ...(options.agents > 0 ? ['agent_status', 'agent_signals', 'llm_decisions'] : []),
  ];
}

async function assertSchema(client: pg.Client, tables: readonly string[]): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL',
    [tables],
  );
  if (rows.length === 0) return;
  throw new CliError(
    `the database lacks the reference schema's table(s) ${rows.map((row) => row.name).join(', ')}`,
    `apply it first: timescale-testkit migrate --dir ${referenceMigrations} --url URL`,
  );
}

async function seedSessions(io: CliIo, f: Factories, options: SeedOptions, counts: SeedResult['counts']) {
  return step(
    io,
    (sessions) => `${sessions.length} sessions with orders, trades, positions and metrics`,
    async (): Promise<TradingSession[]> => {
      const { sessions, orders, trades } = await f.graph({
        sessions: options.sessions,
        ordersPerSession: options.orders,
        tradesPerOrder: TRADES_PER_ORDER,
        sessionOverrides: (i) =>
          options.symbols.length > 0 ? { symbol: options.symbols[i % options.symbols.length] } : {},
      });
      const closed = await f.position.createList(sessions.length, (i) => ({ session: sessions[i] }), {
        traits: ['closed'],
      });
      const open = await f.position.createList(sessions.length, (i) => ({ session: sessions[i] }), {
        traits: ['withStops'],
      });
      let metrics = 0;
      for (const session of sessions) {
        metrics += (await f.performanceMetric.series({ session, metrics: METRICS, count: METRIC_POINTS })).length;
      }
      counts.push(['trading_sessions', sessions.length], ['orders', orders.length], ['trades', trades.length]);
      counts.push(['positions', closed.length + open.length], ['performance_metrics', metrics]);
      return sessions;
    },
  );
}

async function seedCandles(io: CliIo, client: pg.Client, f: Factories, options: SeedOptions): Promise<number> {
  const stepMs = INTERVAL_MS[options.interval];
  return step(
    io,
    (count) => `${count} candles (${options.symbols.join(', ')}; ${options.interval})`,
    async () => {
      let total = 0;
      for (const symbol of options.symbols) {
        const { rows } = await client.query<{ last: Date | null }>(
          "SELECT max(time) AS last FROM candlesticks WHERE symbol = $1 AND exchange = 'BINANCE' AND interval = $2",
          [symbol, options.interval],
        );
        const last = rows[0]?.last;
        // a day (for 1m) ending at the factories' reference date, or right after the symbol's latest candle
        const from = last
          ? new Date(last.getTime() + stepMs)
          : new Date(Math.floor((f.refDate.getTime() - options.candles * stepMs) / stepMs) * stepMs);
        total += await f.candlestick.series({
          symbol,
          interval: options.interval,
          from,
          count: options.candles,
          returning: false,
        });
      }
      return total;
    },
  );
}

async function agentNames(client: pg.Client, count: number): Promise<{ name: string; type: string }[]> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM agent_status');
  const taken = new Set(rows.map((row) => row.name));
  const agents: { name: string; type: string }[] = [];
  for (let n = 1; agents.length < count; n++) {
    const type = AGENT_TYPES[(n - 1) % AGENT_TYPES.length] as string;
    const name = `${type}-agent-${n}`;
    if (!taken.has(name)) agents.push({ name, type });
  }
  return agents;
}

async function seedAgents(
  io: CliIo,
  client: pg.Client,
  f: Factories,
  options: SeedOptions,
  sessions: readonly TradingSession[],
  counts: SeedResult['counts'],
): Promise<void> {
  await step(io, `${options.agents} agents with signals and LLM decisions`, async () => {
    const agents = await agentNames(client, options.agents);
    const errored = Math.floor(agents.length / 4);
    await f.agentStatus.createList(agents.length - errored, (i) => ({ ...agents[i] }), { traits: ['running'] });
    await f.agentStatus.createList(errored, (i) => ({ ...agents[agents.length - errored + i] }), {
      traits: ['errored'],
    });
    const symbol = (i: number) => options.symbols[i % options.symbols.length] ?? 'BTCUSDT';
    const signals = await f.agentSignal.insertList(agents.length * SIGNALS_PER_AGENT, (i) => ({
      agentName: agents[Math.floor(i / SIGNALS_PER_AGENT)]?.name,
      symbol: symbol(i),
    }));
    const decisions = await f.llmDecision.insertList(agents.length * DECISIONS_PER_AGENT, (i) => ({
      agentName: agents[Math.floor(i / DECISIONS_PER_AGENT)]?.name,
      sessionId: sessions.length > 0 ? (sessions[i % sessions.length]?.id ?? null) : null,
      symbol: symbol(i),
    }));
    counts.push(['agent_status', agents.length], ['agent_signals', signals], ['llm_decisions', decisions]);
  });
}

/** Writes the demo data set into `url` in one transaction, printing a progress line per part. */
export async function seedDemoData(url: string, options: SeedOptions, io: CliIo): Promise<SeedResult> {
  const client = await connectClient(url, 'seed');
  try {
    await assertSchema(client, requiredTables(options));
    const f = createFactories(client, options.seed === undefined ? {} : { seed: options.seed });
    const counts: SeedResult['counts'] = [];
    await client.query('BEGIN');
    try {
      const sessions = options.sessions > 0 ? await seedSessions(io, f, options, counts) : [];
      if (options.candles > 0 && options.symbols.length > 0) {
        counts.push(['candlesticks', await seedCandles(io, client, f, options)]);
      }
      if (options.agents > 0) await seedAgents(io, client, f, options, sessions, counts);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return { seed: f.seed, counts };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The rows written per table, and how to write the same rows again. */
export function printSeedResult(io: CliIo, result: SeedResult): void {
  for (const line of columns([['table', 'rows'], ...result.counts.map(([table, rows]) => [table, String(rows)])])) {
    io.out(line);
  }
  io.out(`seed ${result.seed} (the same rows again: --seed ${result.seed} on an empty database)`);
}

/** `timescale-testkit seed`. */
export async function seedCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand('seed', argv, {
    url: { type: 'string' },
    sessions: { type: 'string' },
    orders: { type: 'string' },
    candles: { type: 'string' },
    symbols: { type: 'string' },
    interval: { type: 'string' },
    agents: { type: 'string' },
    seed: { type: 'string' },
  });
  const interval = (values.interval ?? SEED_DEFAULTS.interval) as CandleInterval;
  if (!CANDLE_INTERVALS.includes(interval)) {
    throw new UsageError(`--interval must be one of ${CANDLE_INTERVALS.join(', ')}, got "${interval}"`, 'seed');
  }
  const options: SeedOptions = {
    sessions: wholeNumber('seed', 'sessions', values.sessions, SEED_DEFAULTS.sessions),
    orders: wholeNumber('seed', 'orders', values.orders, SEED_DEFAULTS.orders),
    candles: wholeNumber('seed', 'candles', values.candles, SEED_DEFAULTS.candles),
    symbols: list(values.symbols, SEED_DEFAULTS.symbols),
    interval,
    agents: wholeNumber('seed', 'agents', values.agents, SEED_DEFAULTS.agents),
    ...(values.seed === undefined ? {} : { seed: wholeNumber('seed', 'seed', values.seed, 0) }),
  };
  const url = databaseUrl('seed', values.url);
  printSeedResult(io, await seedDemoData(url, options, io));
  return EXIT.ok;
}
