/**
 * Original vs routed cost of one usage: what the requested model would have cost for the
 * same tokens, and what the chosen model costs, both priced exactly by the Pricer. Used by
 * the proxy (audit: original vs actual) and by `llmfin route simulate`.
 */
import type { Pricer } from '../pricing/pricer.js';
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import type { ReportedUsage } from '../pricing/token-usage.js';
import type { Dec } from '../shared/money.js';
import { LEDGER_CONVENTION } from '../pricing/token-usage.js';

export interface PricedModel {
  model: string;
  provider?: string | undefined;
}

export type CostResult = { status: 'priced'; cost: Dec } | { status: 'unpriced'; reason: string };

/**
 * Prices `usage` (ledger convention) at `target`, at the request's service tier: a request
 * sent with `service_tier: priority` (or flex, batch) costs that tier's rates at the model
 * asked for as at the model routing chose, so both sides of a saving are priced at it. A
 * model that has no price at that tier is priced at its standard rates, which is what it
 * would have been served at.
 */
export function costAt(pricer: Pricer, target: PricedModel, usage: ReportedUsage, at: Date, serviceTier?: ServiceTier): CostResult {
  const priceAt = (provider: string | undefined) => {
    const r = pricer.price({ provider, model: target.model, usage, at, serviceTier, convention: LEDGER_CONVENTION });
    return r.status !== 'priced' && r.cause === 'price' && serviceTier !== undefined ? pricer.price({ provider, model: target.model, usage, at, convention: LEDGER_CONVENTION }) : r;
  };
  let r = priceAt(target.provider);
  // An upstream's provider guess can be wrong for OpenAI-compatible endpoints: fall back to the model id alone.
  if (r.status !== 'priced' && target.provider !== undefined) r = priceAt(undefined);
  return r.status === 'priced' ? { status: 'priced', cost: r.cost } : { status: 'unpriced', reason: r.reason };
}

/** Both costs of a decision's usage; `saved` is original − actual when both are priced. */
export function routedCosts(
  pricer: Pricer,
  original: PricedModel,
  actual: PricedModel,
  usage: ReportedUsage,
  at: Date,
  serviceTier?: ServiceTier,
): { original: CostResult; actual: CostResult; saved: Dec | undefined } {
  const o = costAt(pricer, original, usage, at, serviceTier);
  const a = original.model === actual.model && original.provider === actual.provider ? o : costAt(pricer, actual, usage, at, serviceTier);
  return { original: o, actual: a, saved: o.status === 'priced' && a.status === 'priced' ? o.cost.minus(a.cost) : undefined };
}
