/**
 * Non-interactive work at interactive prices: a feature tagged `interactive: false`, or
 * whose name says it is offline (batch, nightly, digest, report, backfill, eval, index),
 * on a model with a batch tier. Savings: the same usage at the batch price.
 */
import type { InsightFinder, Draft } from '../insight.js';
import type { Pricer } from '../../pricing/pricer.js';
import type { TokenMix } from '../../forecast/token-mix.js';
import { LEDGER_CONVENTION } from '../../pricing/token-usage.js';

const OFFLINE = /(batch|nightly|digest|report|backfill|eval|index|summar|email)/i;

export const batchOpportunity: InsightFinder = {
  id: 'batch-opportunity',
  find(input) {
    const out: Draft[] = [];
    for (const c of input.cells) {
      const offline = c.interactive === false || (c.interactive === null && OFFLINE.test(c.feature));
      if (!offline) continue;
      const now = price(input.pricer, c.mix, input.at, 'standard');
      const batch = price(input.pricer, c.mix, input.at, 'batch');
      if (now === null || batch === null || batch >= now) continue;
      out.push({
        kind: 'batch',
        title: `${c.feature}: not interactive, priced as interactive`,
        impact_usd_per_month: Math.round((now - batch) * (30 / input.days) * 100) / 100,
        action: `send ${c.feature}'s ${c.mix.model} requests through the provider's batch API`,
        effort: 'Medium',
        scope: { feature: c.feature, model: c.mix.model },
        evidence: `batch price $${batch.toFixed(2)} vs $${now.toFixed(2)} for the last ${input.days} days`,
      });
    }
    return out;
  },
};

function price(pricer: Pricer, m: TokenMix, at: Date, tier: 'standard' | 'batch'): number | null {
  const r = pricer.price({
    provider: m.provider,
    model: m.model,
    at,
    serviceTier: tier,
    convention: LEDGER_CONVENTION,
    usage: { input: m.input_tokens, cacheRead: m.cache_read_tokens, cacheWrite5m: m.cache_write_tokens, output: m.output_tokens, reasoning: Math.min(m.reasoning_tokens, m.output_tokens), requests: m.requests },
  });
  return r.status === 'priced' ? r.cost.toNumber() : null;
}
