import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lintFactories, tradingSessionFactory } from '../../src/domain/index.js';
import { belongsTo, createFactories, defineFactory } from '../../src/index.js';
import { schemaDatabase } from '../support/server.js';

// The README's "Your own tables" example, verbatim apart from the hook body.
interface Alert {
  id: number;
  sessionId: string;
  symbol: string;
  level: 'INFO' | 'WARN' | 'CRITICAL';
  threshold: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

const hooked: number[] = [];

const alertFactory = defineFactory<
  Alert,
  { traits: 'critical'; transient: { severity: number }; associations: 'session'; generated: 'id' | 'createdAt' }
>({
  table: 'alerts',
  transient: { severity: 1 },
  defaults: ({ faker, sequence, transient }) => ({
    sessionId: faker.string.uuid(),
    symbol: `SYM${sequence}`,
    level: 'INFO',
    threshold: (100 * transient.severity).toFixed(8),
    payload: { note: faker.lorem.words(3) },
  }),
  associations: { session: belongsTo(() => tradingSessionFactory, { foreignKey: 'sessionId' }) },
  traits: { critical: { attributes: { level: 'CRITICAL' }, transient: { severity: 5 } } },
  validate: (check) => void check.oneOf('level', ['INFO', 'WARN', 'CRITICAL']).positive('threshold'),
  afterCreate: async (alert) => void hooked.push(alert.id),
});

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await schemaDatabase('readme');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(`CREATE TABLE alerts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES trading_sessions (id), symbol text NOT NULL,
    level text NOT NULL CHECK (level IN ('INFO', 'WARN', 'CRITICAL')),
    threshold numeric(24, 8) NOT NULL, payload jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now())`);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

test('the README example for your own tables works as written', async () => {
  const factories = createFactories(pool, { seed: 42 });
  const alerts = factories.use(alertFactory);
  const alert = await alerts.with('critical').create();
  expect(alert).toMatchObject({ id: 1, level: 'CRITICAL', threshold: '500.00000000', symbol: 'SYM1' });
  expect(alert.createdAt).toBeInstanceOf(Date);
  expect(hooked).toEqual([1]);
  const session = await pool.query('SELECT 1 FROM trading_sessions WHERE id = $1', [alert.sessionId]);
  expect(session.rowCount).toBe(1);
  const report = await lintFactories(pool, { factories: [alertFactory], domain: false });
  expect(report).toMatchObject({ ok: true, failures: [] });
  expect(report.checked).toEqual([
    { factory: 'alerts', traits: [] },
    { factory: 'alerts', traits: ['critical'] },
  ]);
});
