/** One provider (or one model) carrying most of the spend: an outage or a price change hits all of it. */
import { formatUsd } from '../../shared/money.js';
import { lastDays, type InsightFinder, type Draft } from '../insight.js';

const THRESHOLD = 0.7;

export const modelConcentration: InsightFinder = {
  id: 'model-concentration',
  find(input) {
    const byProvider = new Map<string, number>();
    for (const c of input.cells) byProvider.set(c.mix.provider, (byProvider.get(c.mix.provider) ?? 0) + c.mix.cost.toNumber());
    const total = [...byProvider.values()].reduce((a, b) => a + b, 0);
    const out: Draft[] = [];
    for (const [provider, cost] of byProvider) {
      const share = total > 0 ? cost / total : 0;
      if (share < THRESHOLD) continue;
      out.push({
        kind: 'concentration_risk',
        title: `${(share * 100).toFixed(0)}% of spend on ${provider}`,
        impact_usd_per_month: Math.round(cost * (30 / input.days) * 100) / 100,
        action: `configure a fallback provider for ${provider}'s models in the proxy, and keep one workload tested on it`,
        effort: 'Medium',
        scope: { provider },
        evidence: `${formatUsd(cost)} of ${formatUsd(total)} in ${lastDays(input.days)}`,
      });
    }
    return out;
  },
};
