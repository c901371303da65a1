import { describe, expect } from 'vitest';
import {
  EMBEDDING_DIMENSIONS,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../../examples/repository/index.js';
import { embedding, test } from './support.js';

describe('llm decisions', () => {
  test('recordDecision stores the decision with its embedding and reads it back as numbers', async ({
    repos,
    factories,
  }) => {
    const session = await factories.tradingSession.create();
    const vector = embedding(0.5, -0.25, 0.125);
    const decision = await repos.llm.recordDecision({
      agentName: 'strategist',
      sessionId: session.id,
      symbol: 'BTCUSDT',
      model: 'gpt-4o',
      prompt: 'Price broke resistance. Act?',
      response: 'Buy a small size.',
      decision: 'BUY',
      confidence: '0.72',
      tokens: 512,
      latencyMs: 830,
      embedding: vector,
      outcome: 'PENDING',
    });
    expect(decision.id).toMatch(/^[1-9]\d*$/);
    expect(decision).toMatchObject({
      agentName: 'strategist',
      sessionId: session.id,
      symbol: 'BTCUSDT',
      model: 'gpt-4o',
      decision: 'BUY',
      confidence: '0.7200',
      tokens: 512,
      latencyMs: 830,
      outcome: 'PENDING',
      pnl: null,
    });
    expect(decision.embedding).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(decision.embedding).toEqual(vector);
    expect(await repos.llm.get(decision.id)).toEqual(decision);
  });

  test('recordDecision without embedding, and with a bad one refused before SQL', async ({ repos }) => {
    const input = { agentName: 'a', model: 'm', prompt: 'p', response: 'r', decision: 'HOLD' };
    const plain = await repos.llm.recordDecision({ ...input, createdAt: new Date('2024-01-01T00:00:00Z') });
    expect(plain).toMatchObject({ embedding: null, sessionId: null, outcome: null, confidence: null });
    for (const bad of [[1, 2, 3], embedding(Number.NaN), [...embedding(1), 0]]) {
      const error = await repos.llm.recordDecision({ ...input, embedding: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ entity: 'llm_decision', field: 'embedding' });
    }
  });

  test('get of an unknown decision is a NotFoundError', async ({ repos }) => {
    await expect(repos.llm.get('999')).rejects.toMatchObject({
      name: 'NotFoundError',
      entity: 'llm_decision',
      id: '999',
    });
  });

  test('recentDecisions pages newest first and filters', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));
    const decision = factories.llmDecision;
    const d1 = await decision.with('success').create({ agentName: 'a', symbol: 'BTCUSDT', createdAt: at(1) });
    const d2 = await decision.create({ agentName: 'b', symbol: 'ETHUSDT', createdAt: at(2), session });
    const d3 = await decision.with('failure').create({ agentName: 'a', symbol: 'ETHUSDT', createdAt: at(3) });
    // the repository reads bigint ids as strings, the factories as numbers
    const ids = (page: { items: { id: string }[] }) => page.items.map((decision) => Number(decision.id));

    const first = await repos.llm.recentDecisions({}, { limit: 2 });
    expect(ids(first)).toEqual([d3.id, d2.id]);
    expect(first.nextOffset).toBe(2);
    const second = await repos.llm.recentDecisions({}, { limit: 2, offset: 2 });
    expect(ids(second)).toEqual([d1.id]);
    expect(second.nextOffset).toBeNull();

    expect(ids(await repos.llm.recentDecisions({ agentName: 'a' }))).toEqual([d3.id, d1.id]);
    expect(ids(await repos.llm.recentDecisions({ symbol: 'ETHUSDT' }))).toEqual([d3.id, d2.id]);
    expect(ids(await repos.llm.recentDecisions({ sessionId: session.id }))).toEqual([d2.id]);
    expect(ids(await repos.llm.recentDecisions({ outcome: 'SUCCESS' }))).toEqual([d1.id]);
    expect(ids(await repos.llm.recentDecisions())).toEqual([d3.id, d2.id, d1.id]);
  });

  test('searchSimilar returns the k nearest by cosine distance, nearest first', async ({ repos, factories }) => {
    const vectors = [embedding(1), embedding(0.9, 0.1), embedding(0, 1), embedding(-1)];
    const [exact, close, orthogonal, opposite] = (
      await factories.llmDecision.createList(vectors.length, (index) => ({ embedding: vectors[index] }))
    ).map((decision) => decision.id);
    await factories.llmDecision.with('withoutEmbedding').create();
    const ids = (rows: { id: string }[]) => rows.map((row) => Number(row.id));

    const all = await repos.llm.searchSimilar(embedding(1), 10);
    expect(ids(all)).toEqual([exact, close, orthogonal, opposite]);
    const distances = all.map((decision) => decision.distance);
    expect(distances[0]).toBeCloseTo(0, 6);
    expect(distances[1]).toBeCloseTo(1 - 0.9 / Math.hypot(0.9, 0.1), 6);
    expect(distances[2]).toBeCloseTo(1, 6);
    expect(distances[3]).toBeCloseTo(2, 6);

    const nearest = await repos.llm.searchSimilar(embedding(0.2, 1), 2);
    expect(ids(nearest)).toEqual([orthogonal, close]);
    expect(nearest[0]?.embedding).toEqual(embedding(0, 1));
  });

  test('searchSimilar applies the filter before taking the k nearest', async ({ repos, factories }) => {
    const session = await factories.tradingSession.create();
    await factories.llmDecision.create({ agentName: 'a', symbol: 'BTCUSDT', embedding: embedding(1) });
    const farA = await factories.llmDecision.create({ agentName: 'a', symbol: 'ETHUSDT', embedding: embedding(0, 1) });
    const b = await factories.llmDecision
      .with('success')
      .create({ agentName: 'b', symbol: 'BTCUSDT', session, embedding: embedding(1, 1) });
    const ids = (rows: { id: string }[]) => rows.map((row) => Number(row.id));
    expect(ids(await repos.llm.searchSimilar(embedding(1), 5, { agentName: 'b' }))).toEqual([b.id]);
    expect(ids(await repos.llm.searchSimilar(embedding(1), 5, { symbol: 'ETHUSDT' }))).toEqual([farA.id]);
    expect(ids(await repos.llm.searchSimilar(embedding(1), 5, { sessionId: session.id, outcome: 'SUCCESS' }))).toEqual([
      b.id,
    ]);
    expect(await repos.llm.searchSimilar(embedding(1), 5, { outcome: 'FAILURE' })).toEqual([]);
  });

  test('searchSimilar refuses a bad k or embedding', async ({ repos }) => {
    await expect(repos.llm.searchSimilar(embedding(1), 0)).rejects.toMatchObject({ field: 'limit' });
    await expect(repos.llm.searchSimilar([1, 0], 1)).rejects.toMatchObject({ field: 'embedding' });
  });

  test('updateOutcome settles a pending decision once', async ({ repos, factories }) => {
    const id = String((await factories.llmDecision.with('pending').create()).id);
    const settled = await repos.llm.updateOutcome(id, 'SUCCESS', '12.5');
    expect(settled).toMatchObject({ id, outcome: 'SUCCESS', pnl: '12.50000000' });
    const error = await repos.llm.updateOutcome(id, 'FAILURE', '-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({ entity: 'llm_decision', id, from: 'SUCCESS', to: 'FAILURE' });
    expect((await repos.llm.get(id)).pnl).toBe('12.50000000');
  });

  test('updateOutcome of a decision without outcome, and of an unknown one', async ({ repos, factories }) => {
    const id = String((await factories.llmDecision.create({ outcome: null, embedding: embedding(1) })).id);
    const neutral = await repos.llm.updateOutcome(id, 'NEUTRAL');
    expect(neutral).toMatchObject({ outcome: 'NEUTRAL', pnl: null, embedding: embedding(1) });
    await expect(repos.llm.updateOutcome('424242', 'SUCCESS')).rejects.toThrow(NotFoundError);
  });
});
