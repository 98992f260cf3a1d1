/**
 * What the proxy stores about each routing decision, so that `llmfin route simulate`
 * can replay a request under another policy without its text, and `learnPriors` can
 * learn from outcomes. It lives in the row's `raw_usage` JSON under the key `routing`
 * (per-request values must stay out of `tags`: tags are a rollup key, and a per-request
 * tag would make the daily rollup as large as the ledger). Low-cardinality facts also go
 * to tags: `routed_from` (the requested model, only when the model was rewritten, so that
 * `llmfin report --by routed_from,model` shows realised savings) and `route_tier`.
 *
 *   raw_usage: { …usage as reported…, "routing": {
 *     "v": 1, "mode": "shadow", "dialect": "openai", "from": "gpt-4o", "tier": "small", "model": "gpt-4o-mini",
 *     "served_tier": "large", "score": 0.031, "rule": "support", "escalated": false,
 *     "system": "1a2b3c4d", "prompt": "9f8e7d6c",
 *     "features": { "tokens": 212, "numbers": 3, "constraints": 1, "turns": 4 } } }
 *
 * `tier`/`model` are what routing chose; `served_tier` is the tier of the model actually
 * served (in shadow mode, the requested model's), which is whose outcome feedback rates.
 */
import type { Dialect } from './compile-policy.js';
import type { RouteDecision } from './route-decision.js';

export const ROUTE_RECORD_VERSION = 1;

export interface RouteRecord {
  v: number;
  mode: RouteDecision['mode'];
  /** The API dialect the client spoke. */
  dialect?: Dialect | undefined;
  /** The model the client asked for. */
  from: string;
  tier: string | null;
  model: string;
  served_tier: string | null;
  score: number;
  rule?: string | undefined;
  escalated?: boolean | undefined;
  /** textHash of the system prompt (cohort key). */
  system?: string | undefined;
  /** textHash of the latest user turn (retries repeat it). */
  prompt?: string | undefined;
  /** The decision's signals: raw feature values by name (feature-vector.ts). */
  features: Record<string, number>;
  /** Written by the proxy beside the record: what the requested model would have cost for the row's tokens (exact decimal USD). */
  original_cost_usd?: string | undefined;
}

/** The record for a decision; `servedTier` defaults to the chosen tier when the decision was applied. */
export function routeRecord(
  d: RouteDecision,
  extra: { dialect?: Dialect | undefined; systemHash?: string | undefined; promptHash?: string | undefined; servedTier?: string | null | undefined } = {},
): RouteRecord {
  const record: RouteRecord = {
    v: ROUTE_RECORD_VERSION,
    mode: d.mode,
    from: d.requestedModel,
    tier: d.tier,
    model: d.model,
    served_tier: extra.servedTier !== undefined ? extra.servedTier : d.apply ? d.tier : d.requestedTier,
    score: d.score,
    features: { ...d.signals },
  };
  if (extra.dialect) record.dialect = extra.dialect;
  if (d.rule) record.rule = d.rule;
  if (d.escalated) record.escalated = true;
  if (extra.systemHash) record.system = extra.systemHash;
  if (extra.promptHash) record.prompt = extra.promptHash;
  return record;
}

/** The tags a routed row carries besides its own (low cardinality only). */
export function routeTags(d: RouteDecision): Record<string, string> {
  const tags: Record<string, string> = {};
  if (d.apply) tags.routed_from = d.requestedModel;
  if (d.tier) tags.route_tier = d.tier;
  return tags;
}

/** The routing record of a stored `raw_usage` text, or undefined (not JSON, no record, another version). */
export function parseRouteRecord(rawUsage: string | null | undefined): RouteRecord | undefined {
  if (!rawUsage || !rawUsage.includes('"routing"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(rawUsage);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = (value as { routing?: unknown }).routing;
  if (typeof r !== 'object' || r === null) return undefined;
  const rec = r as Partial<RouteRecord>;
  if (rec.v !== ROUTE_RECORD_VERSION || typeof rec.features !== 'object' || rec.features === null) return undefined;
  return rec as RouteRecord;
}
