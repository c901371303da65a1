import { describe, expect, test } from 'vitest';
import { tokenOf, uuidOf } from '../../src/domain/values.js';
import { newFaker } from '../../src/factories/faker.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function seeded(seed: number) {
  const faker = newFaker();
  faker.seed(seed);
  return faker;
}

describe('ids the domain factories draw from their seeded faker', () => {
  test('uuidOf: version 4 and the RFC variant, every hex digit in use, no repeats', () => {
    const faker = seeded(1);
    const ids = Array.from({ length: 5_000 }, () => uuidOf(faker));
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
    // each random position takes every hex digit over 5,000 draws
    const digits = (position: number) => new Set(ids.map((id) => id.replaceAll('-', '')[position]));
    for (const position of [0, 7, 8, 11, 13, 15, 17, 20, 24, 31]) expect(digits(position).size).toBe(16);
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });

  test('uuidOf and tokenOf replay for a seed, and differ between seeds', () => {
    const draw = (seed: number) => {
      const faker = seeded(seed);
      return [uuidOf(faker), tokenOf(faker), uuidOf(faker), tokenOf(faker, 4)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  test('tokenOf: the length asked for, lowercase letters and digits', () => {
    const faker = seeded(7);
    const tokens = Array.from({ length: 2_000 }, () => tokenOf(faker));
    for (const token of tokens) expect(token).toMatch(/^[0-9a-z]{8}$/);
    expect(new Set(tokens.join('')).size).toBe(36);
    expect(tokenOf(faker, 3)).toMatch(/^[0-9a-z]{3}$/);
  });
});
