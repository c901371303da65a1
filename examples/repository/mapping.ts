import { ValidationError } from './errors.js';
import type { Page, PageOptions } from './types.js';

/** For every field of row type T, the SQL expression that yields it (usually a snake_case column). */
export type Columns<T> = { readonly [K in keyof T]-?: string };

/**
 * The select list that turns snake_case columns into the camelCase row type:
 * `session_id AS "sessionId", ...`.
 */
export function selectList<T>(columns: Columns<T>): string {
  return Object.entries<string>(columns)
    .map(([field, expression]) => `${expression} AS "${field}"`)
    .join(', ');
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Validated limit and offset of a page request. */
export function pageWindow(entity: string, options: PageOptions = {}): { limit: number; offset: number } {
  const { limit = DEFAULT_PAGE_SIZE, offset = 0 } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(entity, 'limit', `must be an integer in 1..${MAX_PAGE_SIZE}, got ${limit}`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ValidationError(entity, 'offset', `must be a non-negative integer, got ${offset}`);
  }
  return { limit, offset };
}

/** A page from rows fetched with LIMIT limit + 1: the extra row only tells that more follow. */
export function toPage<T>(rows: T[], limit: number, offset: number): Page<T> {
  const more = rows.length > limit;
  return { items: more ? rows.slice(0, limit) : rows, limit, offset, nextOffset: more ? offset + limit : null };
}

/** pgvector's text form of an embedding, after checking its size and values. */
export function toVector(entity: string, embedding: readonly number[], dimensions: number): string {
  if (embedding.length !== dimensions) {
    throw new ValidationError(entity, 'embedding', `expected ${dimensions} dimensions, got ${embedding.length}`);
  }
  if (!embedding.every(Number.isFinite)) {
    throw new ValidationError(entity, 'embedding', 'values must be finite numbers');
  }
  return `[${embedding.join(',')}]`;
}

/** An embedding from pgvector's text form '[1,2,3]'. */
export function parseVector(text: string | null): number[] | null {
  return text === null ? null : (JSON.parse(text) as number[]);
}
