/** Row types and inputs of agent status, agent signals and LLM decisions (see types.ts). */

import type { AgentState, Decimal, JsonObject, Outcome, Signal } from './types.js';

export interface AgentStatus {
  name: string;
  type: string;
  status: AgentState;
  pid: number | null;
  version: string | null;
  startedAt: Date;
  lastHeartbeat: Date;
  errorMessage: string | null;
  metadata: JsonObject;
}

export interface AgentStatusInput {
  name: string;
  type: string;
  status: AgentState;
  pid?: number | null;
  version?: string | null;
  errorMessage?: string | null;
  metadata?: JsonObject;
}

export interface AgentSignal {
  /** bigint identity, as text. */
  id: string;
  agentName: string;
  symbol: string;
  signal: Signal;
  confidence: Decimal;
  reasoning: string | null;
  metadata: JsonObject;
  createdAt: Date;
}

export interface NewAgentSignal {
  agentName: string;
  symbol: string;
  signal: Signal;
  /** 0..1 with up to four decimals. */
  confidence: Decimal;
  reasoning?: string | null;
  metadata?: JsonObject;
  createdAt?: Date;
}

export interface SignalFilter {
  agentName?: string;
  symbol?: string;
  signal?: Signal;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Default 100. */
  limit?: number;
}

export interface Consensus {
  symbol: string;
  /** The signal with the highest summed confidence; HOLD when nobody voted or the top scores tie. */
  signal: Signal;
  /** Summed confidence per signal, over each agent's latest signal in the window. */
  scores: Record<Signal, Decimal>;
  /** Score of `signal` divided by the summed confidence of all votes (4 decimals); '0.0000' without votes. */
  agreement: Decimal;
  /** Agents that voted. */
  agents: number;
}

export interface LlmDecision {
  id: string;
  agentName: string;
  sessionId: string | null;
  symbol: string | null;
  model: string;
  prompt: string;
  response: string;
  decision: string;
  confidence: Decimal | null;
  tokens: number | null;
  latencyMs: number | null;
  embedding: number[] | null;
  outcome: Outcome | null;
  pnl: Decimal | null;
  createdAt: Date;
}

export interface NewLlmDecision {
  agentName: string;
  model: string;
  prompt: string;
  response: string;
  decision: string;
  sessionId?: string | null;
  symbol?: string | null;
  confidence?: Decimal | null;
  tokens?: number | null;
  latencyMs?: number | null;
  /** 1536 finite numbers. */
  embedding?: readonly number[] | null;
  outcome?: Outcome | null;
  pnl?: Decimal | null;
  createdAt?: Date;
}

export interface DecisionFilter {
  agentName?: string;
  symbol?: string;
  sessionId?: string;
  outcome?: Outcome;
}

export interface SimilarDecision extends LlmDecision {
  /** Cosine distance to the query embedding: 0 same direction, 1 orthogonal, 2 opposite. */
  distance: number;
}
