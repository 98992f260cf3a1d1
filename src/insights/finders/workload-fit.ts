/**
 * Flagship models on short, simple requests: a feature whose average request is under
 * 1,500 input and 400 output tokens on a flagship model is usually a workhorse job.
 * Savings: the same tokens on the provider's cheapest workhorse model.
 */
import type { Dec } from '../../shared/money.js';
import { usdPerMonth, type InsightFinder, type Draft } from '../insight.js';
import { priceCell } from '../price-usage.js';
import { beats, candidates, classOf } from '../model-candidates.js';

const SHORT_INPUT = 1500;
const SHORT_OUTPUT = 400;

export const workloadFit: InsightFinder = {
  id: 'workload-fit',
  find(input) {
    const out: Draft[] = [];
    for (const c of input.cells) {
      const m = c.mix;
      if (m.requests === 0) continue;
      const inPer = m.input_tokens / m.requests;
      const outPer = m.output_tokens / m.requests;
      if (inPer >= SHORT_INPUT || outPer >= SHORT_OUTPUT) continue;
      if (classOf(input.pricer, m.provider, m.model, input.at) !== 'flagship') continue;
      const now = priceCell(input.pricer, c, input.at);
      if (!now) continue;
      let best: { model: string; cost: number; exact: Dec } | null = null;
      for (const cand of candidates(input.pricer, input.at)) {
        if (cand.class !== 'workhorse' || cand.provider !== m.provider) continue;
        const cost = priceCell(input.pricer, c, input.at, { provider: cand.provider, model: cand.model });
        if (cost && beats(cost.toNumber(), cand.model, best)) best = { model: cand.model, cost: cost.toNumber(), exact: cost };
      }
      if (!best || best.cost >= now.toNumber()) continue;
      out.push({
        kind: 'workload_fit',
        title: `${c.feature}: flagship ${m.model} on short requests`,
        impact_usd_per_month: usdPerMonth(now.minus(best.exact), input.days),
        action: `route ${c.feature} to ${best.model} (or let the router pick per prompt)`,
        effort: 'Low',
        scope: { feature: c.feature, model: m.model },
        evidence: `${Math.round(inPer)} input / ${Math.round(outPer)} output tokens per request over ${m.requests.toLocaleString('en-US')} requests`,
      });
    }
    return out;
  },
};
