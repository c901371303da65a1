import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cosineSimilarity, EMBEDDING_DIMENSIONS, randomEmbedding, similarTo } from '../../src/domain/index.js';
import { createFactories, type Factories, FactoryValidationError } from '../../src/index.js';
import { schemaDatabase } from '../support/server.js';

let database: Awaited<ReturnType<typeof schemaDatabase>>;
let pool: pg.Pool;
let factories: Factories;

beforeAll(async () => {
  database = await schemaDatabase('embeddings');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  factories = createFactories(pool, { seed: 5 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('similarTo', () => {
  test('neighbours come back from ORDER BY embedding <=> anchor in the planned order', async () => {
    const anchor = await factories.llmDecision.create({ decision: 'anchor' });
    const planned = [0.97, 0.9, 0.75, 0.5, 0.1, -0.4];
    const shuffled = [0.5, -0.4, 0.97, 0.1, 0.75, 0.9];
    await factories.llmDecision.createList(shuffled.length, (index) => ({
      decision: `cos ${shuffled[index]}`,
      embedding: factories.similarTo(anchor, shuffled[index] ?? 0),
    }));
    const vector = `[${anchor.embedding?.join(',')}]`;
    const query = `SELECT decision, 1 - (embedding <=> $1::vector) AS similarity FROM llm_decisions
                    WHERE id <> $2 ORDER BY embedding <=> $1::vector LIMIT 6`;
    const { rows } = await pool.query<{ decision: string; similarity: number }>(query, [vector, anchor.id]);
    expect(rows.map((row) => row.decision)).toEqual(planned.map((cosine) => `cos ${cosine}`));
    for (const [index, row] of rows.entries()) expect(row.similarity).toBeCloseTo(planned[index] ?? 0, 6);
    // the same through the HNSW index
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query(`EXPLAIN ${query}`, [vector, anchor.id]);
      expect(JSON.stringify(plan.rows)).toContain('llm_decisions_embedding_idx');
      const indexed = await client.query<{ decision: string }>(query, [vector, anchor.id]);
      expect(indexed.rows.map((row) => row.decision)).toEqual(planned.map((cosine) => `cos ${cosine}`));
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  test('builds exact similarities from a plain vector, deterministically', () => {
    const base = [3, 4, 0, 0];
    for (const cosine of [1, 0.5, 0, -1]) {
      const vector = similarTo(base, cosine);
      expect(vector).toHaveLength(4);
      expect(cosineSimilarity(vector, base)).toBeCloseTo(cosine, 6);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    }
    expect(similarTo(base, 0.3, { seed: 9 })).toEqual(similarTo(base, 0.3, { seed: 9 }));
    expect(similarTo(base, 0.3, { seed: 9 })).not.toEqual(similarTo(base, 0.3, { seed: 10 }));
  });

  test('rejects impossible requests', () => {
    expect(() => similarTo([1, 0], 1.5)).toThrow(FactoryValidationError);
    expect(() => similarTo({ embedding: null }, 0.5)).toThrow(/non-empty vector/);
    expect(() => similarTo([0, 0], 0.5)).toThrow(RangeError);
  });

  test('random embeddings are unit float4 vectors of the schema dimension', () => {
    const built = factories.llmDecision.build();
    expect(built.embedding).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...(built.embedding ?? []))).toBeCloseTo(1, 5);
    expect(built.embedding?.every((value) => Math.fround(value) === value)).toBe(true);
    const faker = factories.context.faker(factories.llmDecision.definition);
    expect(randomEmbedding(faker, 8)).toHaveLength(8);
  });

  test('a stored embedding equals the built one (float4 values)', async () => {
    const built = factories.llmDecision.build();
    const stored = await factories.llmDecision.create({ embedding: built.embedding });
    expect(stored.embedding).toEqual(built.embedding);
  });
});
