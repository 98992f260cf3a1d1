/** One provider (or one model) carrying most of the spend: an outage or a price change hits all of it. */
import { dec, formatUsd, type Dec } from '../../shared/money.js';
import { lastDays, usdPerMonth, type InsightFinder, type Draft } from '../insight.js';

const THRESHOLD = 0.7;

export const modelConcentration: InsightFinder = {
  id: 'model-concentration',
  find(input) {
    // Summed in decimal: the impact is this spend to the cent, as the report shows it.
    const byProvider = new Map<string, Dec>();
    for (const c of input.cells) byProvider.set(c.mix.provider, (byProvider.get(c.mix.provider) ?? dec(0)).plus(c.mix.cost));
    const total = [...byProvider.values()].reduce((a, b) => a.plus(b), dec(0));
    const out: Draft[] = [];
    for (const [provider, cost] of byProvider) {
      const share = total.greaterThan(0) ? cost.div(total).toNumber() : 0;
      if (share < THRESHOLD) continue;
      out.push({
        kind: 'concentration_risk',
        title: `${(share * 100).toFixed(0)}% of spend on ${provider}`,
        impact_usd_per_month: usdPerMonth(cost, input.days),
        action: `configure a fallback provider for ${provider}'s models in the proxy, and keep one workload tested on it`,
        effort: 'Medium',
        scope: { provider },
        evidence: `${formatUsd(cost)} of ${formatUsd(total)} in ${lastDays(input.days)}`,
      });
    }
    return out;
  },
};
