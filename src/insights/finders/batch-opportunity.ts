/**
 * Non-interactive work at interactive prices: a feature tagged `interactive: false`, or
 * whose name says it is offline (batch, nightly, digest, report, backfill, eval, index),
 * on a model with a batch tier. Savings: the same usage at the batch price.
 */
import { formatUsd } from '../../shared/money.js';
import { lastDays, usdPerMonth, type InsightFinder, type Draft } from '../insight.js';
import { priceTokens, standardPart } from '../price-usage.js';

const OFFLINE = /(batch|nightly|digest|report|backfill|eval|index|summar|email)/i;

export const batchOpportunity: InsightFinder = {
  id: 'batch-opportunity',
  find(input) {
    const out: Draft[] = [];
    for (const c of input.cells) {
      const offline = c.interactive === false || (c.interactive === null && OFFLINE.test(c.feature));
      if (!offline) continue;
      // Only the part still on the standard tier: what already runs on batch (or flex) has its discount.
      const standard = standardPart(c);
      if (standard.input_tokens + standard.output_tokens <= 0) continue;
      const now = priceTokens(input.pricer, standard, input.at, 'standard');
      const batch = priceTokens(input.pricer, standard, input.at, 'batch');
      if (now === null || batch === null || batch.greaterThanOrEqualTo(now)) continue;
      out.push({
        kind: 'batch',
        title: `${c.feature}: not interactive, priced as interactive`,
        impact_usd_per_month: usdPerMonth(now.minus(batch), input.days),
        action: `send ${c.feature}'s ${c.mix.model} requests through the provider's batch API`,
        effort: 'Medium',
        scope: { feature: c.feature, model: c.mix.model },
        evidence: `batch price ${formatUsd(batch)} vs ${formatUsd(now)} for ${lastDays(input.days)}`,
      });
    }
    return out;
  },
};
