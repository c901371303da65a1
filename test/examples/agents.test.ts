import { describe, expect } from 'vitest';
import { ConstraintViolationError, NotFoundError, ValidationError } from '../../examples/repository/index.js';
import { seedAgent, seedSignal, test } from './support.js';

const minutesAgo = (minutes: number, from = Date.now()) => new Date(from - minutes * 60_000);

describe('agent status', () => {
  test('upsertStatus inserts, then replaces the status and refreshes the heartbeat', async ({ repos }) => {
    const created = await repos.agents.upsertStatus({
      name: 'analyst-1',
      type: 'technical',
      status: 'STARTING',
      pid: 4242,
      version: '1.0.0',
      metadata: { region: 'eu' },
    });
    expect(created).toMatchObject({
      name: 'analyst-1',
      type: 'technical',
      status: 'STARTING',
      pid: 4242,
      version: '1.0.0',
      errorMessage: null,
      metadata: { region: 'eu' },
    });
    const failed = await repos.agents.upsertStatus({
      name: 'analyst-1',
      type: 'technical',
      status: 'ERROR',
      errorMessage: 'exchange unreachable',
    });
    expect(failed).toMatchObject({ status: 'ERROR', pid: null, version: null, errorMessage: 'exchange unreachable' });
    expect(failed.startedAt).toEqual(created.startedAt);
    expect(failed.lastHeartbeat.getTime()).toBeGreaterThanOrEqual(created.lastHeartbeat.getTime());
    expect(await repos.agents.get('analyst-1')).toEqual(failed);
  });

  test('going back to STARTING restarts startedAt; other statuses keep it', async ({ db, repos }) => {
    const longAgo = new Date('2024-01-01T00:00:00Z');
    const { name } = await seedAgent(db.pool, { startedAt: longAgo, lastHeartbeat: longAgo });
    const running = await repos.agents.upsertStatus({ name, type: 'analyst', status: 'RUNNING' });
    expect(running.startedAt).toEqual(longAgo);
    expect(running.lastHeartbeat.getTime()).toBeGreaterThan(longAgo.getTime());
    const restarted = await repos.agents.upsertStatus({ name, type: 'analyst', status: 'STARTING' });
    expect(restarted.startedAt.getTime()).toBeGreaterThan(longAgo.getTime());
  });

  test('upsertStatus refuses an invalid pid with a typed error', async ({ repos }) => {
    await expect(repos.agents.upsertStatus({ name: 'x', type: 't', status: 'RUNNING', pid: 0 })).rejects.toThrow(
      ConstraintViolationError,
    );
  });

  test('get and heartbeat of an unknown agent are NotFoundErrors naming it', async ({ repos }) => {
    await expect(repos.agents.get('ghost')).rejects.toMatchObject({
      name: 'NotFoundError',
      entity: 'agent_status',
      id: 'ghost',
    });
    await expect(repos.agents.heartbeat('ghost')).rejects.toThrow(NotFoundError);
  });

  test('heartbeat moves last_heartbeat to now or to the given time', async ({ db, repos }) => {
    const { name } = await seedAgent(db.pool, { lastHeartbeat: minutesAgo(60) });
    const before = Date.now();
    const beat = await repos.agents.heartbeat(name);
    expect(beat.lastHeartbeat.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    const at = new Date('2030-01-01T00:00:00Z');
    expect((await repos.agents.heartbeat(name, at)).lastHeartbeat).toEqual(at);
  });

  test('listStale lists live agents silent for longer than the threshold, stalest first', async ({ db, repos }) => {
    const fresh = await seedAgent(db.pool, { status: 'RUNNING', lastHeartbeat: minutesAgo(1) });
    const running = await seedAgent(db.pool, { status: 'RUNNING', lastHeartbeat: minutesAgo(10) });
    const starting = await seedAgent(db.pool, { status: 'STARTING', lastHeartbeat: minutesAgo(20) });
    await seedAgent(db.pool, { status: 'STOPPED', lastHeartbeat: minutesAgo(60) });
    await seedAgent(db.pool, { status: 'ERROR', lastHeartbeat: minutesAgo(60) });
    const names = async (ms: number) => (await repos.agents.listStale(ms)).map((agent) => agent.name);
    expect(await names(5 * 60_000)).toEqual([starting.name, running.name]);
    expect(await names(15 * 60_000)).toEqual([starting.name]);
    expect(await names(1)).toEqual([starting.name, running.name, fresh.name]);
    await repos.agents.heartbeat(running.name);
    expect(await names(5 * 60_000)).toEqual([starting.name]);
  });

  test('listStale refuses a threshold that is not a positive duration', async ({ repos }) => {
    for (const ms of [0, -1, Number.NaN]) {
      await expect(repos.agents.listStale(ms)).rejects.toThrow(ValidationError);
    }
  });
});

describe('agent signals', () => {
  test('recordSignal stores the signal with an identity id and exact confidence', async ({ repos }) => {
    const signal = await repos.agents.recordSignal({
      agentName: 'momentum',
      symbol: 'BTCUSDT',
      signal: 'BUY',
      confidence: '0.85',
      reasoning: 'RSI crossed 30',
      metadata: { rsi: 29.5 },
    });
    expect(signal.id).toMatch(/^[1-9]\d*$/);
    expect(signal).toMatchObject({
      agentName: 'momentum',
      symbol: 'BTCUSDT',
      signal: 'BUY',
      confidence: '0.8500',
      reasoning: 'RSI crossed 30',
      metadata: { rsi: 29.5 },
    });
    const at = new Date('2024-01-01T00:00:00Z');
    const second = await repos.agents.recordSignal({
      agentName: 'm',
      symbol: 'X',
      signal: 'HOLD',
      confidence: '0',
      createdAt: at,
    });
    expect(second).toMatchObject({
      id: String(Number(signal.id) + 1),
      reasoning: null,
      createdAt: at,
      confidence: '0.0000',
    });
  });

  test('recordSignal refuses a confidence above 1', async ({ repos }) => {
    const error = await repos.agents
      .recordSignal({ agentName: 'a', symbol: 'BTCUSDT', signal: 'SELL', confidence: '1.5' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect(error).toMatchObject({ entity: 'agent_signal' });
  });

  test('signals filters by agent, symbol, signal and time range, newest first', async ({ db, repos }) => {
    const t = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));
    const a1 = await seedSignal(db.pool, { agentName: 'a', symbol: 'BTCUSDT', signal: 'BUY', createdAt: t(1) });
    const a2 = await seedSignal(db.pool, { agentName: 'a', symbol: 'ETHUSDT', signal: 'SELL', createdAt: t(2) });
    const b3 = await seedSignal(db.pool, { agentName: 'b', symbol: 'BTCUSDT', signal: 'SELL', createdAt: t(3) });
    const b4 = await seedSignal(db.pool, { agentName: 'b', symbol: 'BTCUSDT', signal: 'HOLD', createdAt: t(4) });
    const ids = async (filter: Parameters<typeof repos.agents.signals>[0]) =>
      (await repos.agents.signals(filter)).map((signal) => signal.id);
    expect(await ids(undefined)).toEqual([b4.id, b3.id, a2.id, a1.id]);
    expect(await ids({ agentName: 'a' })).toEqual([a2.id, a1.id]);
    expect(await ids({ symbol: 'BTCUSDT' })).toEqual([b4.id, b3.id, a1.id]);
    expect(await ids({ signal: 'SELL' })).toEqual([b3.id, a2.id]);
    expect(await ids({ from: t(2), to: t(4) })).toEqual([b3.id, a2.id]);
    expect(await ids({ agentName: 'b', symbol: 'BTCUSDT', from: t(4) })).toEqual([b4.id]);
    expect(await ids({ limit: 1 })).toEqual([b4.id]);
    expect(await ids({ agentName: 'nobody' })).toEqual([]);
  });

  test('consensus is a confidence-weighted vote of each agent latest signal in the window', async ({ db, repos }) => {
    const at = new Date('2024-06-01T12:00:00Z');
    const ago = (minutes: number) => minutesAgo(minutes, at.getTime());
    await seedSignal(db.pool, { agentName: 'a1', signal: 'SELL', confidence: '0.99', createdAt: ago(2) });
    await seedSignal(db.pool, { agentName: 'a1', signal: 'BUY', confidence: '0.9', createdAt: ago(1) });
    await seedSignal(db.pool, { agentName: 'a2', signal: 'BUY', confidence: '0.6', createdAt: ago(3) });
    await seedSignal(db.pool, { agentName: 'a3', signal: 'SELL', confidence: '0.7', createdAt: ago(1) });
    await seedSignal(db.pool, { agentName: 'a4', signal: 'HOLD', confidence: '0.5', createdAt: ago(0.5) });
    await seedSignal(db.pool, { agentName: 'a5', signal: 'SELL', confidence: '1', createdAt: ago(120) });
    await seedSignal(db.pool, { agentName: 'a3', signal: 'BUY', confidence: '1', createdAt: ago(-1) });
    await seedSignal(db.pool, {
      agentName: 'a6',
      symbol: 'ETHUSDT',
      signal: 'SELL',
      confidence: '1',
      createdAt: ago(1),
    });

    expect(await repos.agents.consensus('BTCUSDT', 60 * 60_000, at)).toEqual({
      symbol: 'BTCUSDT',
      signal: 'BUY',
      scores: { BUY: '1.5000', SELL: '0.7000', HOLD: '0.5000' },
      // 1.5 / 2.7 = 0.5555... rounded in numeric
      agreement: '0.5556',
      agents: 4,
    });
    // a wider window lets a5's SELL in: BUY 1.5 vs SELL 1.7
    expect(await repos.agents.consensus('BTCUSDT', 3 * 60 * 60_000, at)).toMatchObject({
      signal: 'SELL',
      scores: { BUY: '1.5000', SELL: '1.7000', HOLD: '0.5000' },
      agreement: '0.4595', // 1.7 / 3.7
      agents: 5,
    });
  });

  test('consensus is HOLD on a tie at the top and without votes', async ({ db, repos }) => {
    await seedSignal(db.pool, { agentName: 'bull', signal: 'BUY', confidence: '0.75' });
    await seedSignal(db.pool, { agentName: 'bear', signal: 'SELL', confidence: '0.75' });
    await seedSignal(db.pool, { agentName: 'calm', signal: 'HOLD', confidence: '0.5' });
    expect(await repos.agents.consensus('BTCUSDT', 60_000)).toEqual({
      symbol: 'BTCUSDT',
      signal: 'HOLD',
      scores: { BUY: '0.7500', SELL: '0.7500', HOLD: '0.5000' },
      agreement: '0.2500',
      agents: 3,
    });
    expect(await repos.agents.consensus('DOGEUSDT', 60_000)).toEqual({
      symbol: 'DOGEUSDT',
      signal: 'HOLD',
      scores: { BUY: '0.0000', SELL: '0.0000', HOLD: '0.0000' },
      agreement: '0.0000',
      agents: 0,
    });
    await expect(repos.agents.consensus('BTCUSDT', 0)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'windowMs',
    });
  });
});
