/**
 * The routing part of a proxy row's `raw_usage` (route-record.ts): the decision as
 * `routeRecord` writes it, plus what it cost — `original_cost_usd`, the requested model
 * priced for the same tokens (so that a routed row shows its saving beside its own
 * `cost_usd`), and, in shadow mode, `chosen_cost_usd`, what the model routing chose would
 * have cost. Built after the response is sent, from the row's own token columns.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { Pricer } from '../../pricing/pricer.js';
import type { ReportedUsage } from '../../pricing/token-usage.js';
import { routeRecord, type RouteRecord } from '../../routing/route-record.js';
import { costAt, routedCosts } from '../../routing/routing-cost.js';
import type { RouteDecision } from '../../routing/route-decision.js';
import type { Dialect } from '../dialect-error.js';
import type { AttemptCost } from './attempt-entry.js';

export interface RoutingRaw extends RouteRecord {
  /** What the requested model would have cost for the same tokens (exact decimal USD). */
  original_cost_usd?: string | undefined;
  /** Shadow mode: what the model routing chose would have cost. */
  chosen_cost_usd?: string | undefined;
}

export interface RoutedAttempt {
  decision: RouteDecision;
  dialect: Dialect;
  hashes: { systemHash: string | undefined; promptHash: string } | undefined;
  /** The model sent upstream and the tier routing knows it by. */
  modelSent: string | undefined;
  servedTier: string | null;
  /** Catalogue provider of the requested model's upstream, and of the one that served. */
  requestedProvider: string | undefined;
  sentProvider: string | undefined;
  /** The service tier the response says it was served at: the requested model is priced at it too. */
  serviceTier: ServiceTier | undefined;
  startedAt: number;
}

export function routingRaw(pricer: Pricer, r: RoutedAttempt, cost: AttemptCost): RoutingRaw {
  const d = r.decision;
  const record: RoutingRaw = routeRecord(d, { dialect: r.dialect, systemHash: r.hashes?.systemHash, promptHash: r.hashes?.promptHash, servedTier: r.servedTier });
  const cols = cost.cols;
  if (cols === undefined || !cost.consumed) return record;
  // The row's token columns are in the ledger's convention (input counts cache reads and writes).
  const usage: ReportedUsage = {
    input: cols.input_tokens ?? 0,
    output: cols.output_tokens ?? 0,
    cacheRead: cols.cache_read_tokens ?? 0,
    cacheWrite5m: cols.cache_write_5m_tokens ?? 0,
    cacheWrite1h: cols.cache_write_1h_tokens ?? 0,
    reasoning: cols.reasoning_tokens ?? 0,
    inputAudio: cols.input_audio_tokens ?? 0,
    outputAudio: cols.output_audio_tokens ?? 0,
    inputImage: cols.input_image_tokens ?? 0,
    outputImage: cols.output_image_tokens ?? 0,
    webSearches: cols.web_search_requests ?? 0,
  };
  const at = new Date(r.startedAt);
  const original = { model: d.requestedModel, provider: r.requestedProvider };
  if (r.modelSent !== undefined && r.modelSent !== d.requestedModel) {
    // Routed (or downgraded by a budget): the saving is original − the row's cost.
    const costs = routedCosts(pricer, original, { model: r.modelSent, provider: r.sentProvider }, usage, at, r.serviceTier);
    if (costs.original.status === 'priced') record.original_cost_usd = costs.original.cost.toFixed();
  } else {
    if (cost.costUsd !== null) record.original_cost_usd = cost.costUsd;
    if (d.model !== d.requestedModel) {
      const chosen = costAt(pricer, { model: d.model, provider: d.provider }, usage, at, r.serviceTier);
      if (chosen.status === 'priced') record.chosen_cost_usd = chosen.cost.toFixed();
    }
  }
  return record;
}
