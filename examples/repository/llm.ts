import type pg from 'pg';
import { one, query } from './db.js';
import { InvalidTransitionError } from './errors.js';
import { type Columns, pageWindow, parseVector, selectList, toPage, toVector } from './mapping.js';
import type {
  Decimal,
  DecisionFilter,
  LlmDecision,
  NewLlmDecision,
  Outcome,
  Page,
  PageOptions,
  SimilarDecision,
} from './types.js';

const ENTITY = 'llm_decision';

/** Size of llm_decisions.embedding (vector(1536)). */
export const EMBEDDING_DIMENSIONS = 1536;

const COLUMNS: Columns<LlmDecision> = {
  id: 'id::text',
  agentName: 'agent_name',
  sessionId: 'session_id',
  symbol: 'symbol',
  model: 'model',
  prompt: 'prompt',
  response: 'response',
  decision: 'decision',
  confidence: 'confidence',
  tokens: 'tokens',
  latencyMs: 'latency_ms',
  embedding: 'embedding::text',
  outcome: 'outcome',
  pnl: 'pnl',
  createdAt: 'created_at',
};
const SELECT = selectList(COLUMNS);

/** The same filter for every listing: each given field must match. Parameters $1..$4. */
const FILTER = `($1::text IS NULL OR agent_name = $1)
  AND ($2::text IS NULL OR symbol = $2)
  AND ($3::uuid IS NULL OR session_id = $3)
  AND ($4::text IS NULL OR outcome = $4)`;

function filterValues(filter: DecisionFilter): unknown[] {
  return [filter.agentName ?? null, filter.symbol ?? null, filter.sessionId ?? null, filter.outcome ?? null];
}

/** A decision as selected: the embedding still in pgvector's text form. */
type Row = Omit<LlmDecision, 'embedding'> & { embedding: string | null };

/** Turns the embedding text of a selected row into numbers. */
function withEmbedding<T extends Row>(row: T): Omit<T, 'embedding'> & { embedding: number[] | null } {
  return { ...row, embedding: parseVector(row.embedding) };
}

/** Decisions taken by LLM agents, with their prompt embeddings for similarity search (pgvector). */
export class LlmDecisionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async recordDecision(input: NewLlmDecision): Promise<LlmDecision> {
    const embedding = input.embedding == null ? null : toVector(ENTITY, input.embedding, EMBEDDING_DIMENSIONS);
    const rows = await query<Row>(
      this.pool,
      ENTITY,
      `INSERT INTO llm_decisions (agent_name, session_id, symbol, model, prompt, response, decision, confidence,
                                  tokens, latency_ms, embedding, outcome, pnl, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::vector, $12, $13, coalesce($14, now()))
       RETURNING ${SELECT}`,
      [
        input.agentName,
        input.sessionId ?? null,
        input.symbol ?? null,
        input.model,
        input.prompt,
        input.response,
        input.decision,
        input.confidence ?? null,
        input.tokens ?? null,
        input.latencyMs ?? null,
        embedding,
        input.outcome ?? null,
        input.pnl ?? null,
        input.createdAt ?? null,
      ],
    );
    return withEmbedding(one(rows, ENTITY, 'new'));
  }

  async get(id: string): Promise<LlmDecision> {
    const rows = await query<Row>(this.pool, ENTITY, `SELECT ${SELECT} FROM llm_decisions WHERE id = $1`, [id]);
    return withEmbedding(one(rows, ENTITY, id));
  }

  /** Decisions matching the filter, newest first, one page at a time. */
  async recentDecisions(filter: DecisionFilter = {}, page?: PageOptions): Promise<Page<LlmDecision>> {
    const { limit, offset } = pageWindow(ENTITY, page);
    const rows = await query<Row>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT} FROM llm_decisions WHERE ${FILTER} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6`,
      [...filterValues(filter), limit + 1, offset],
    );
    return toPage(rows.map(withEmbedding), limit, offset);
  }

  /**
   * The `k` decisions whose embeddings are nearest to `embedding` by cosine distance (`<=>`, served by the
   * HNSW index), nearest first, among decisions that match the filter and have an embedding.
   */
  async searchSimilar(
    embedding: readonly number[],
    k: number,
    filter: DecisionFilter = {},
  ): Promise<SimilarDecision[]> {
    const vector = toVector(ENTITY, embedding, EMBEDDING_DIMENSIONS);
    const { limit } = pageWindow(ENTITY, { limit: k });
    const rows = await query<Row & { distance: number }>(
      this.pool,
      ENTITY,
      `SELECT ${SELECT}, embedding <=> $5::vector AS distance
         FROM llm_decisions
        WHERE embedding IS NOT NULL AND ${FILTER}
        ORDER BY embedding <=> $5::vector, id
        LIMIT $6`,
      [...filterValues(filter), vector, limit],
    );
    return rows.map(withEmbedding);
  }

  /**
   * Settles a decision: PENDING (or no outcome yet) may become any outcome; a settled decision
   * (SUCCESS, FAILURE, NEUTRAL) is final and another update is an InvalidTransitionError.
   */
  async updateOutcome(id: string, outcome: Outcome, pnl?: Decimal | null): Promise<LlmDecision> {
    const rows = await query<Row>(
      this.pool,
      ENTITY,
      `UPDATE llm_decisions SET outcome = $2, pnl = coalesce($3, pnl)
        WHERE id = $1 AND (outcome IS NULL OR outcome = 'PENDING')
        RETURNING ${SELECT}`,
      [id, outcome, pnl ?? null],
    );
    const [row] = rows;
    if (row !== undefined) return withEmbedding(row);
    const current = await this.get(id);
    throw new InvalidTransitionError(ENTITY, id, String(current.outcome), outcome);
  }
}
