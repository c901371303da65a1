/**
 * Shared by the example repository tests: the `test` they use and an embedding helper.
 *
 * `test` is the kit's own vitest fixture, as a user would have it: each file gets a clone of
 * the migrated template, each test runs in a transaction that is rolled back afterwards, and
 * `db.pool` (the pool handed to the repositories) routes every query into that transaction.
 * The tests seed their rows with the kit's `factories` fixture, bound to that same `db`.
 */
import { createRepositories, EMBEDDING_DIMENSIONS } from '../../examples/repository/index.js';
import { test as kit } from '../../src/vitest/index.js';

export const test = kit.extend('repos', async ({ db }) => createRepositories(db.pool));

/** A 1536-dimension embedding: `weights[i]` at dimension i, zero elsewhere. */
export function embedding(...weights: number[]): number[] {
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, index) => weights[index] ?? 0);
}
