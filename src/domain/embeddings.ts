import type { Faker } from '@faker-js/faker';
import { FactoryValidationError, newFaker } from '../factories/index.js';

/** Dimension of `llm_decisions.embedding` in the reference schema. */
export const EMBEDDING_DIMENSIONS = 1536;

/** `v / |v|`. */
export function normalize(vector: readonly number[]): number[] {
  const length = Math.hypot(...vector);
  if (length === 0) throw new RangeError('cannot normalise a zero vector');
  return vector.map((value) => value / length);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index] ?? 0) * (b[index] ?? 0);
  return sum;
}

/** Cosine similarity, as pgvector computes `1 - (a <=> b)`. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  return dot(a, b) / (Math.hypot(...a) * Math.hypot(...b));
}

/** A deterministic unit vector (float4 values, as pgvector stores them) from a seeded faker. */
export function randomEmbedding(faker: Faker, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const raw = Array.from({ length: dimensions }, () => faker.number.float({ min: -1, max: 1 }));
  return normalize(raw).map(Math.fround);
}

export interface SimilarToOptions {
  /** Draw the orthogonal component from this faker (e.g. `factories.similarTo` passes its own). */
  faker?: Faker;
  /** Otherwise seed a fresh faker with this (default 0: the same call gives the same vector). */
  seed?: number;
}

/** A vector, or anything with an `embedding` (an LLM decision row). */
export type EmbeddingSource = readonly number[] | { readonly embedding: readonly number[] | null };

/**
 * A unit vector whose cosine similarity to `target` is `cosine` (to float4 precision):
 * `cosine * t + sqrt(1 - cosine^2) * w`, with `t` the normalised target and `w` a random unit
 * vector orthogonal to it. Neighbours at 0.95, 0.9, 0.5 come back from
 * `ORDER BY embedding <=> target` in exactly that order.
 */
export function similarTo(target: EmbeddingSource, cosine: number, options: SimilarToOptions = {}): number[] {
  const source = Array.isArray(target) ? target : (target as { embedding: readonly number[] | null }).embedding;
  if (!source || source.length === 0) {
    throw new FactoryValidationError('similarTo', 'embedding', source, 'must be a non-empty vector');
  }
  if (!Number.isFinite(cosine) || cosine < -1 || cosine > 1) {
    throw new FactoryValidationError('similarTo', 'cosine', cosine, 'must be within [-1, 1]');
  }
  const unit = normalize(source);
  let faker = options.faker;
  if (!faker) {
    faker = newFaker();
    faker.seed([options.seed ?? 0, source.length]);
  }
  let orthogonal: number[] = [];
  for (let attempt = 0; attempt < 8 && orthogonal.length === 0; attempt++) {
    const random = Array.from({ length: unit.length }, () => faker.number.float({ min: -1, max: 1 }));
    const projection = dot(random, unit);
    const rest = random.map((value, index) => value - projection * (unit[index] ?? 0));
    if (Math.hypot(...rest) > 1e-6) orthogonal = normalize(rest);
  }
  const sine = Math.sqrt(Math.max(0, 1 - cosine * cosine));
  return unit.map((value, index) => Math.fround(cosine * value + sine * (orthogonal[index] ?? 0)));
}
