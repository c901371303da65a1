import { describe, expect } from 'vitest';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../../examples/repository/index.js';
import { test } from './support.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('positions', () => {
  test('create opens a position with exact decimals and defaults', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const position = await repos.positions.create({
      sessionId: session.id,
      symbol: 'BTCUSDT',
      side: 'LONG',
      entryPrice: '42000.5',
      quantity: '0.25',
      stopLoss: '40000',
      takeProfit: '45000',
      entryReason: 'breakout',
    });
    expect(position).toMatchObject({
      sessionId: session.id,
      exchange: 'BINANCE',
      side: 'LONG',
      entryPrice: '42000.50000000',
      quantity: '0.25000000',
      stopLoss: '40000.00000000',
      takeProfit: '45000.00000000',
      exitPrice: null,
      exitTime: null,
      realizedPnl: null,
      unrealizedPnl: null,
      fees: '0.00000000',
      entryReason: 'breakout',
      exitReason: null,
      metadata: {},
    });
    expect(await repos.positions.get(position.id)).toEqual(position);
  });

  test('create refuses negative fees before SQL and bad prices in SQL', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const input = { sessionId: session.id, symbol: 'BTCUSDT', side: 'SHORT', entryPrice: '1', quantity: '1' } as const;
    await expect(repos.positions.create({ ...input, fees: '-0.1' })).rejects.toMatchObject({
      name: 'ValidationError',
      entity: 'position',
      field: 'fees',
    });
    await expect(repos.positions.create({ ...input, entryPrice: '-1' })).rejects.toMatchObject({
      name: 'ConstraintViolationError',
      sqlState: '23514',
    });
    const withFees = await repos.positions.create({ ...input, fees: '0.5', exchange: 'KRAKEN', metadata: { a: 1 } });
    expect(withFees).toMatchObject({ fees: '0.50000000', exchange: 'KRAKEN', metadata: { a: 1 } });
  });

  test('get of an unknown position is a NotFoundError', async ({ repos }) => {
    await expect(repos.positions.get(MISSING)).rejects.toMatchObject({ name: 'NotFoundError', entity: 'position' });
  });

  test('update changes only the given fields, null clears, metadata merges', async ({ repos, factories }) => {
    const { id } = await factories.position.create({
      entryPrice: '100',
      stopLoss: '90',
      takeProfit: '120',
      metadata: { a: 1 },
    });
    const moved = await repos.positions.update(id, { stopLoss: '95.5', metadata: { b: 2 } });
    expect(moved).toMatchObject({ stopLoss: '95.50000000', takeProfit: '120.00000000', metadata: { a: 1, b: 2 } });
    const cleared = await repos.positions.update(id, { takeProfit: null, entryReason: 'trend' });
    expect(cleared).toMatchObject({ stopLoss: '95.50000000', takeProfit: null, entryReason: 'trend' });
    const untouched = await repos.positions.update(id, {});
    expect(untouched).toMatchObject({ stopLoss: '95.50000000', takeProfit: null, metadata: { a: 1, b: 2 } });
  });

  test('update of a closed or unknown position is refused, typed', async ({ repos, factories }) => {
    const { id } = await factories.position.create();
    await repos.positions.close(id, '101', 'manual');
    const error = await repos.positions.update(id, { stopLoss: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ entity: 'position', id, from: 'CLOSED', to: 'UPDATED' });
    await expect(repos.positions.update(MISSING, { stopLoss: '1' })).rejects.toThrow(NotFoundError);
  });

  test('updateUnrealizedPnl marks LONG, SHORT and FLAT positions in numeric', async ({ repos, factories }) => {
    const position = { entryPrice: '100', quantity: '2' };
    const long = await factories.position.with('long').create(position);
    const short = await factories.position.with('short').create(position);
    const flat = await factories.position.create({ ...position, side: 'FLAT' });
    expect((await repos.positions.updateUnrealizedPnl(long.id, '110.5')).unrealizedPnl).toBe('21.00000000');
    expect((await repos.positions.updateUnrealizedPnl(long.id, '99.9')).unrealizedPnl).toBe('-0.20000000');
    expect((await repos.positions.updateUnrealizedPnl(short.id, '90.25')).unrealizedPnl).toBe('19.50000000');
    expect((await repos.positions.updateUnrealizedPnl(short.id, '100.1')).unrealizedPnl).toBe('-0.20000000');
    expect((await repos.positions.updateUnrealizedPnl(flat.id, '150')).unrealizedPnl).toBe('0.00000000');
    await repos.positions.close(long.id, '101', 'tp');
    await expect(repos.positions.updateUnrealizedPnl(long.id, '1')).rejects.toMatchObject({ to: 'MARKED' });
  });

  test.for([
    { side: 'LONG', exit: '110', fees: '1.5', realized: '18.50000000' },
    { side: 'LONG', exit: '95', fees: '0.1', realized: '-10.10000000' },
    { side: 'SHORT', exit: '90', fees: '1.5', realized: '18.50000000' },
    { side: 'SHORT', exit: '105', fees: '1.5', realized: '-11.50000000' },
  ] as const)(
    'close $side at $exit with fees $fees realizes $realized',
    async ({ side, exit, fees, realized }, { factories, repos }) => {
      const { id } = await factories.position.create({ side, entryPrice: '100', quantity: '2', unrealizedPnl: '3' });
      const exitTime = new Date(Date.now() + 1_000);
      const closed = await repos.positions.close(id, exit, 'signal', fees, exitTime);
      expect(closed).toMatchObject({
        exitPrice: `${exit}.00000000`,
        exitReason: 'signal',
        exitTime,
        realizedPnl: realized,
        unrealizedPnl: '0.00000000',
        fees: `${fees}0000000`,
        quantity: '2.00000000',
      });
    },
  );

  test('money stays exact: 0.1 + 0.2 is 0.3, not 0.30000000000000004', async ({ db, repos, factories }) => {
    const { id } = await factories.position.with('long').create({ entryPrice: '0.1', quantity: '3' });
    const partial = await repos.positions.partialClose(id, '1', '0.3', '0.1');
    expect(partial.realizedPnl).toBe('0.10000000');
    const closed = await repos.positions.close(id, '0.3', 'done', '0.2');
    expect(closed).toMatchObject({ fees: '0.30000000', realizedPnl: '0.30000000', quantity: '2.00000000' });
    const { rows } = await db.pool.query<{ sum: string }>('SELECT (0.1::numeric + 0.2::numeric)::text AS sum');
    expect(rows[0]?.sum).toBe('0.3');
  });

  test('close twice is an InvalidTransitionError; unknown is NotFound; negative fees refused', async ({
    repos,
    factories,
  }) => {
    const { id } = await factories.position.create();
    await repos.positions.close(id, '120', 'take profit');
    const error = await repos.positions.close(id, '130', 'again').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ entity: 'position', id, from: 'CLOSED', to: 'CLOSED' });
    expect((await repos.positions.get(id)).exitPrice).toBe('120.00000000');
    await expect(repos.positions.close(MISSING, '1', 'x')).rejects.toThrow(NotFoundError);
    await expect(repos.positions.close(id, '1', 'x', '-1')).rejects.toThrow(ValidationError);
  });

  test('partialClose of a LONG books the closed part and keeps the rest open', async ({ repos, factories }) => {
    const { id } = await factories.position.with('long').create({ entryPrice: '100', quantity: '3', fees: '0.2' });
    const { position, realizedPnl } = await repos.positions.partialClose(id, '1', '110', '0.5');
    expect(realizedPnl).toBe('9.50000000');
    expect(position).toMatchObject({
      quantity: '2.00000000',
      realizedPnl: '9.50000000',
      unrealizedPnl: '20.00000000',
      fees: '0.70000000',
      exitTime: null,
    });
    expect(position.metadata.partialCloses).toMatchObject([
      { quantity: '1', price: '110', fees: '0.5', realizedPnl: '9.50000000' },
    ]);
    const closed = await repos.positions.close(id, '120', 'target', '1');
    expect(closed).toMatchObject({ realizedPnl: '48.50000000', fees: '1.70000000', quantity: '2.00000000' });
  });

  test('partialClose of a SHORT twice, with a loss, then the close', async ({ repos, factories }) => {
    const { id } = await factories.position.with('short').create({ entryPrice: '200', quantity: '4' });
    expect((await repos.positions.partialClose(id, '1.5', '180', '0.25')).realizedPnl).toBe('29.75000000');
    const second = await repos.positions.partialClose(id, '0.5', '210', '0.25');
    expect(second.realizedPnl).toBe('-5.25000000');
    expect(second.position).toMatchObject({ quantity: '2.00000000', realizedPnl: '24.50000000', fees: '0.50000000' });
    expect(second.position.metadata.partialCloses).toHaveLength(2);
    const closed = await repos.positions.close(id, '190', 'exit');
    expect(closed).toMatchObject({ realizedPnl: '44.50000000', fees: '0.50000000' });
  });

  test('partialClose refuses bad quantities and rolls back', async ({ repos, factories }) => {
    const { id } = await factories.position.create({ quantity: '2' });
    for (const quantity of ['0', '-1', '2', '2.5']) {
      const error = await repos.positions.partialClose(id, quantity, '110').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ entity: 'position', field: 'quantity' });
    }
    await expect(repos.positions.partialClose(id, '1', '110', '-0.01')).rejects.toMatchObject({ field: 'fees' });
    expect(await repos.positions.get(id)).toMatchObject({ quantity: '2.00000000', realizedPnl: null, metadata: {} });
  });

  test('partialClose of a closed or unknown position is refused, typed', async ({ repos, factories }) => {
    const { id } = await factories.position.create({ quantity: '2' });
    await repos.positions.close(id, '105', 'stop');
    await expect(repos.positions.partialClose(id, '1', '110')).rejects.toMatchObject({
      name: 'InvalidTransitionError',
      from: 'CLOSED',
      to: 'PARTIALLY_CLOSED',
    });
    await expect(repos.positions.partialClose(MISSING, '1', '110')).rejects.toThrow(NotFoundError);
  });

  test('open, bySession and totals describe a session', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const at = (day: number) => new Date(Date.UTC(2024, 0, day));
    const position = { session, entryPrice: '100', quantity: '1' };
    const first = await factories.position.create({ ...position, entryTime: at(1) });
    const second = await factories.position.with('short').create({ ...position, entryTime: at(2) });
    const third = await factories.position.create({ ...position, entryTime: at(3), fees: '0.1' });
    await factories.position.create();
    await repos.positions.close(first.id, '110.1', 'tp', '0.2');
    await repos.positions.updateUnrealizedPnl(second.id, '99.8');
    await repos.positions.updateUnrealizedPnl(third.id, '100.1');
    expect((await repos.positions.open(session.id)).map((p) => p.id)).toEqual([second.id, third.id]);
    expect((await repos.positions.bySession(session.id)).map((p) => p.id)).toEqual([first.id, second.id, third.id]);
    expect(await repos.positions.totals(session.id)).toEqual({
      open: 2,
      closed: 1,
      realizedPnl: '9.90000000',
      unrealizedPnl: '0.30000000',
      fees: '0.30000000',
    });
    expect(await repos.positions.totals(MISSING)).toEqual({
      open: 0,
      closed: 0,
      realizedPnl: '0.00000000',
      unrealizedPnl: '0.00000000',
      fees: '0.00000000',
    });
  });
});
