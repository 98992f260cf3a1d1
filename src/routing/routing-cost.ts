/**
 * Original vs routed cost of one usage: what the requested model would have cost for the
 * same tokens, and what the chosen model costs, both priced exactly by the Pricer. Used by
 * the proxy (audit: original vs actual) and by `llmfin route simulate`.
 */
import type { Pricer } from '../pricing/pricer.js';
import type { ReportedUsage } from '../pricing/token-usage.js';
import type { Dec } from '../shared/money.js';
import { LEDGER_CONVENTION } from '../pricing/token-usage.js';

/** Usage in the ledger's convention: input counts cache reads and writes; output counts reasoning. */


export interface PricedModel {
  model: string;
  provider?: string | undefined;
}

export type CostResult = { status: 'priced'; cost: Dec } | { status: 'unpriced'; reason: string };

/** Prices `usage` (ledger convention) at `target`. */
export function costAt(pricer: Pricer, target: PricedModel, usage: ReportedUsage, at: Date): CostResult {
  let r = pricer.price({ provider: target.provider, model: target.model, usage, at, convention: LEDGER_CONVENTION });
  // An upstream's provider guess can be wrong for OpenAI-compatible endpoints: fall back to the model id alone.
  if (r.status !== 'priced' && target.provider !== undefined) r = pricer.price({ model: target.model, usage, at, convention: LEDGER_CONVENTION });
  return r.status === 'priced' ? { status: 'priced', cost: r.cost } : { status: 'unpriced', reason: r.reason };
}

/** Both costs of a decision's usage; `saved` is original − actual when both are priced. */
export function routedCosts(pricer: Pricer, original: PricedModel, actual: PricedModel, usage: ReportedUsage, at: Date): { original: CostResult; actual: CostResult; saved: Dec | undefined } {
  const o = costAt(pricer, original, usage, at);
  const a = original.model === actual.model && original.provider === actual.provider ? o : costAt(pricer, actual, usage, at);
  return { original: o, actual: a, saved: o.status === 'priced' && a.status === 'priced' ? o.cost.minus(a.cost) : undefined };
}
