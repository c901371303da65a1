import { describe, expect } from 'vitest';
import { ConstraintViolationError, NotFoundError, ValidationError } from '../../examples/repository/index.js';
import type { SignalKind } from '../../src/domain/index.js';
import { test } from './support.js';

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

  test('going back to STARTING restarts startedAt; other statuses keep it', async ({ repos, factories }) => {
    const longAgo = new Date('2024-01-01T00:00:00Z');
    const { name } = await factories.agentStatus.create({ startedAt: longAgo, lastHeartbeat: longAgo });
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

  test('heartbeat moves last_heartbeat to now or to the given time', async ({ repos, factories }) => {
    const { name } = await factories.agentStatus.create({ lastHeartbeat: minutesAgo(60) });
    const before = Date.now();
    const beat = await repos.agents.heartbeat(name);
    expect(beat.lastHeartbeat.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    const at = new Date('2030-01-01T00:00:00Z');
    expect((await repos.agents.heartbeat(name, at)).lastHeartbeat).toEqual(at);
  });

  test('listStale lists live agents silent for longer than the threshold, stalest first', async ({
    repos,
    factories,
  }) => {
    // heartbeats relative to the database's clock, not to the factories' reference date (2024-01-01)
    const fresh = await factories.agentStatus.with('running').create({ lastHeartbeat: minutesAgo(1) });
    const running = await factories.agentStatus.with('running').create({ lastHeartbeat: minutesAgo(10) });
    const starting = await factories.agentStatus.with('starting').create({ lastHeartbeat: minutesAgo(20) });
    await factories.agentStatus.with('stopped').create({ lastHeartbeat: minutesAgo(60) });
    await factories.agentStatus.with('errored').create({ lastHeartbeat: minutesAgo(60) });
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

  test('signals filters by agent, symbol, signal and time range, newest first', async ({ repos, factories }) => {
    const t = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));
    const signal = factories.agentSignal;
    const a1 = await signal.with('buy').create({ agentName: 'a', symbol: 'BTCUSDT', createdAt: t(1) });
    const a2 = await signal.with('sell').create({ agentName: 'a', symbol: 'ETHUSDT', createdAt: t(2) });
    const b3 = await signal.with('sell').create({ agentName: 'b', symbol: 'BTCUSDT', createdAt: t(3) });
    const b4 = await signal.with('hold').create({ agentName: 'b', symbol: 'BTCUSDT', createdAt: t(4) });
    // the repository reads bigint ids as strings, the factories as numbers
    const ids = async (filter: Parameters<typeof repos.agents.signals>[0]) =>
      (await repos.agents.signals(filter)).map((signal) => Number(signal.id));
    expect(await ids(undefined)).toEqual([b4.id, b3.id, a2.id, a1.id]);
    expect(await ids({ agentName: 'a' })).toEqual([a2.id, a1.id]);
    expect(await ids({ symbol: 'BTCUSDT' })).toEqual([b4.id, b3.id, a1.id]);
    expect(await ids({ signal: 'SELL' })).toEqual([b3.id, a2.id]);
    expect(await ids({ from: t(2), to: t(4) })).toEqual([b3.id, a2.id]);
    expect(await ids({ agentName: 'b', symbol: 'BTCUSDT', from: t(4) })).toEqual([b4.id]);
    expect(await ids({ limit: 1 })).toEqual([b4.id]);
    expect(await ids({ agentName: 'nobody' })).toEqual([]);
  });

  test('consensus is a confidence-weighted vote of each agent latest signal in the window', async ({
    repos,
    factories,
  }) => {
    const at = new Date('2024-06-01T12:00:00Z');
    const ago = (minutes: number) => minutesAgo(minutes, at.getTime());
    const vote = (agentName: string, signal: SignalKind, confidence: string, minutes: number, symbol = 'BTCUSDT') =>
      factories.agentSignal.create({ agentName, symbol, signal, confidence, createdAt: ago(minutes) });
    await vote('a1', 'SELL', '0.99', 2);
    await vote('a1', 'BUY', '0.9', 1);
    await vote('a2', 'BUY', '0.6', 3);
    await vote('a3', 'SELL', '0.7', 1);
    await vote('a4', 'HOLD', '0.5', 0.5);
    await vote('a5', 'SELL', '1', 120);
    await vote('a3', 'BUY', '1', -1);
    await vote('a6', 'SELL', '1', 1, 'ETHUSDT');

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

  test('consensus is HOLD on a tie at the top and without votes', async ({ repos, factories }) => {
    // within the last minute of the database's clock (factory dates default to before 2024-01-01)
    const signal = { symbol: 'BTCUSDT', createdAt: minutesAgo(0.5) };
    await factories.agentSignal.with('buy').create({ ...signal, agentName: 'bull', confidence: '0.75' });
    await factories.agentSignal.with('sell').create({ ...signal, agentName: 'bear', confidence: '0.75' });
    await factories.agentSignal.with('hold').create({ ...signal, agentName: 'calm', confidence: '0.5' });
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
