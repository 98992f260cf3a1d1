/** What `Router.decide` takes and returns (see router.ts for the contract). */
import type { Dialect, RoutingMode } from './compile-policy.js';
import type { RouteText } from './prompt-view.js';

export interface RouteInput extends RouteText {
  /** The API dialect the client speaks: routing never sends it to an upstream that speaks another. */
  dialect: Dialect;
  /** The model the client asked for. */
  model: string;
  agent?: string | undefined;
  feature?: string | undefined;
  /** `textHash` of the system prompt (cohort key); see extract-route-text.ts. */
  systemHash?: string | undefined;
  /** `x-llmfin-trace-id`: within a trace the tier only goes up. */
  traceId?: string | undefined;
  /** Milliseconds since the epoch (stickiness expiry); default Date.now(). */
  now?: number | undefined;
}

export interface RouteDecision {
  /** off: routing not configured; shadow: record only; enforce: the proxy rewrites the model. */
  mode: RoutingMode;
  /** True when the proxy must rewrite the request: enforce mode and another model chosen. */
  apply: boolean;
  requestedModel: string;
  /** The requested model's tier, or null when no tier lists it. */
  requestedTier: string | null;
  /** The chosen model's tier (null when routing is off or the model is in no tier). */
  tier: string | null;
  /** The chosen model (the requested one when nothing changes). */
  model: string;
  /** The upstream to send it to; undefined = the client dialect's default upstream. */
  upstream: string | undefined;
  /** Catalogue provider of the chosen model, for pricing. */
  provider: string | undefined;
  /** Expected success lost by using the cheapest tier instead of the best, 0–1. */
  score: number;
  /** Predicted success per tier name. */
  success: Readonly<Record<string, number>>;
  /** The raw feature values that fired (what the ledger keeps for replays). */
  signals: Readonly<Record<string, number>>;
  /** One sentence: why this tier. */
  reason: string;
  /** The rule that applied, if any. */
  rule: string | undefined;
  /** The cohort the priors came from, as `agent=… feature=… system=…`. */
  cohort: string;
  /** A lexical feature fired or the cohort had enough outcomes. */
  evidence: boolean;
  escalated: boolean;
  /** The trace's earlier tier raised this decision. */
  sticky: boolean;
  /** False only when no model at or above the floor speaks the client's dialect (the requested model is kept). */
  floorMet: boolean;
}
