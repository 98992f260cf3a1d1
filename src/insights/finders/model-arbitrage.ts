/**
 * The same class of model for less: for each model in use, the cheapest first-party
 * model of the same catalogue class, priced on the workload's actual token mix.
 */
import { formatUsd, type Dec } from '../../shared/money.js';
import { lastDays, usdPerMonth, type InsightFinder, type Draft } from '../insight.js';
import { priceCell } from '../price-usage.js';
import { beats, candidates, classOf } from '../model-candidates.js';
import { monthlyByModel } from './by-model.js';

export const modelArbitrage: InsightFinder = {
  id: 'model-arbitrage',
  find(input) {
    const out: Draft[] = [];
    const scale = 30 / input.days;
    for (const usage of monthlyByModel(input.cells)) {
      const mix = usage.mix;
      const cls = classOf(input.pricer, mix.provider, mix.model, input.at);
      const now = priceCell(input.pricer, usage, input.at);
      if (!cls || !now || now.isZero()) continue;
      let best: { provider: string; model: string; cost: number; exact: Dec } | null = null;
      for (const c of candidates(input.pricer, input.at)) {
        if (c.class !== cls || c.model === mix.model) continue;
        const cost = priceCell(input.pricer, usage, input.at, { provider: c.provider, model: c.model });
        if (cost && beats(cost.toNumber(), c.model, best)) best = { provider: c.provider, model: c.model, cost: cost.toNumber(), exact: cost };
      }
      if (!best) continue;
      const saving = (now.toNumber() - best.cost) * scale;
      if (saving <= 0 || best.cost > now.toNumber() * 0.9) continue;
      out.push({
        kind: 'model_arbitrage',
        title: `${mix.model} → ${best.model} (${cls}, ${best.provider})`,
        impact_usd_per_month: usdPerMonth(now.minus(best.exact), input.days),
        action: `evaluate ${best.provider}/${best.model} on this workload's prompts; switch (or route) if quality holds`,
        effort: best.provider === mix.provider ? 'Low' : 'Medium',
        scope: { provider: mix.provider, model: mix.model },
        evidence: `the tokens of ${lastDays(input.days)} cost ${formatUsd(now)} on ${mix.model} and would cost ${formatUsd(best.exact)} on ${best.model} (−${((1 - best.cost / now.toNumber()) * 100).toFixed(0)}%)`,
      });
    }
    return out;
  },
};

