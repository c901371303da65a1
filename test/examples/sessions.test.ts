import { describe, expect } from 'vitest';
import { ConstraintViolationError, InvalidTransitionError, NotFoundError } from '../../examples/repository/index.js';
import { test } from './support.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('sessions', () => {
  test('create fills defaults and keeps money as exact decimal strings', async ({ repos }) => {
    const session = await repos.sessions.create({
      mode: 'PAPER',
      symbol: 'BTCUSDT',
      initialCapital: '10000.12345678',
      config: { strategy: 'grid', levels: [1, 2] },
    });
    expect(session).toMatchObject({
      mode: 'PAPER',
      symbol: 'BTCUSDT',
      exchange: 'BINANCE',
      initialCapital: '10000.12345678',
      finalCapital: null,
      stoppedAt: null,
      totalTrades: 0,
      winningTrades: 0,
      losingTrades: 0,
      totalPnl: '0.00000000',
      maxDrawdown: '0.00000000',
      sharpeRatio: null,
      config: { strategy: 'grid', levels: [1, 2] },
      metadata: {},
    });
    expect(session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.startedAt).toBeInstanceOf(Date);
    expect(await repos.sessions.get(session.id)).toEqual(session);
  });

  test('create takes exchange, start time and metadata', async ({ repos }) => {
    const startedAt = new Date('2024-01-02T03:04:05.000Z');
    const session = await repos.sessions.create({
      mode: 'LIVE',
      symbol: 'ETHUSDT',
      exchange: 'KRAKEN',
      startedAt,
      initialCapital: '500',
      metadata: { owner: 'ci' },
    });
    expect(session).toMatchObject({ mode: 'LIVE', exchange: 'KRAKEN', startedAt, metadata: { owner: 'ci' } });
  });

  test('create refuses a non-positive capital with a typed constraint error', async ({ repos }) => {
    const error = await repos.sessions
      .create({ mode: 'PAPER', symbol: 'BTCUSDT', initialCapital: '0' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error).toMatchObject({ entity: 'trading_session', sqlState: '23514' });
  });

  test('get of an unknown id is a NotFoundError naming the entity and id', async ({ repos }) => {
    const error = await repos.sessions.get(MISSING).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      entity: 'trading_session',
      id: MISSING,
      message: `trading_session ${MISSING} not found`,
    });
  });

  test('updateStats overwrites the given statistics and keeps the others', async ({ repos, factories }) => {
    const { id } = await factories.tradingSession.create();
    const first = await repos.sessions.updateStats(id, {
      totalTrades: 10,
      winningTrades: 6,
      losingTrades: 4,
      totalPnl: '123.45',
      maxDrawdown: '-50.5',
      sharpeRatio: '1.234567',
    });
    expect(first).toMatchObject({
      totalTrades: 10,
      winningTrades: 6,
      losingTrades: 4,
      totalPnl: '123.45000000',
      maxDrawdown: '-50.50000000',
      sharpeRatio: '1.234567',
    });
    expect(first.updatedAt.getTime()).toBeGreaterThanOrEqual(first.createdAt.getTime());

    const second = await repos.sessions.updateStats(id, { totalTrades: 11, winningTrades: 7 });
    expect(second).toMatchObject({ totalTrades: 11, winningTrades: 7, losingTrades: 4, sharpeRatio: '1.234567' });

    const cleared = await repos.sessions.updateStats(id, { sharpeRatio: null });
    expect(cleared).toMatchObject({ totalTrades: 11, sharpeRatio: null, totalPnl: '123.45000000' });
  });

  test('updateStats keeps the schema invariants: wins + losses <= trades', async ({ repos, factories }) => {
    const { id } = await factories.tradingSession.create();
    await expect(repos.sessions.updateStats(id, { totalTrades: 1, winningTrades: 1, losingTrades: 1 })).rejects.toThrow(
      ConstraintViolationError,
    );
    await expect(repos.sessions.updateStats(MISSING, { totalTrades: 1 })).rejects.toThrow(NotFoundError);
  });

  test('stop records the final capital once; a second stop is an invalid transition', async ({ repos, factories }) => {
    const { id } = await factories.tradingSession.create({ startedAt: new Date('2024-01-01T00:00:00Z') });
    const stoppedAt = new Date('2024-01-01T08:00:00Z');
    const stopped = await repos.sessions.stop(id, '10250.5', stoppedAt);
    expect(stopped).toMatchObject({ stoppedAt, finalCapital: '10250.50000000' });

    const error = await repos.sessions.stop(id, '1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ entity: 'trading_session', id, from: 'STOPPED', to: 'STOPPED' });
    expect((await repos.sessions.get(id)).finalCapital).toBe('10250.50000000');
  });

  test('stop defaults to now and refuses unknown sessions', async ({ repos, factories }) => {
    const { id } = await factories.tradingSession.create();
    const before = Date.now();
    const stopped = await repos.sessions.stop(id, '9000');
    expect(stopped.stoppedAt?.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    await expect(repos.sessions.stop(MISSING, '1')).rejects.toThrow(NotFoundError);
  });

  test('active lists the sessions not stopped, oldest first', async ({ repos, factories }) => {
    const older = await factories.tradingSession.create({ startedAt: new Date('2024-01-01T00:00:00Z') });
    const newer = await factories.tradingSession.create({ startedAt: new Date('2024-02-01T00:00:00Z') });
    const stopped = await factories.tradingSession.create({ startedAt: new Date('2024-01-15T00:00:00Z') });
    await factories.tradingSession.with('stopped').create({ startedAt: new Date('2024-01-10T00:00:00Z') });
    await repos.sessions.stop(stopped.id, '1');
    expect((await repos.sessions.active()).map((session) => session.id)).toEqual([older.id, newer.id]);
  });
});
