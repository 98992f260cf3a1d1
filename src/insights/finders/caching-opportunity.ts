/**
 * Large prompts that are rarely read from cache: with ≥ 2,000 input tokens a request and
 * a cache hit ratio under 20%, caching the stable prefix pays. Savings: the same usage
 * with half of its input tokens read from cache instead (a conservative prefix share),
 * priced by the model's own cache-read rate.
 */
import type { InsightFinder, Draft } from '../insight.js';
import { priceCell } from '../price-usage.js';

const LARGE_PROMPT = 2000;
const LOW_HIT = 0.2;
const TARGET_HIT = 0.5;

export const cachingOpportunity: InsightFinder = {
  id: 'caching-opportunity',
  find(input) {
    const out: Draft[] = [];
    for (const c of input.cells) {
      const m = c.mix;
      if (m.requests === 0 || m.input_tokens / m.requests < LARGE_PROMPT) continue;
      const hit = m.cache_read_tokens / m.input_tokens;
      if (hit >= LOW_HIT) continue;
      const now = priceCell(input.pricer, c, input.at);
      // Each tier's part read from cache alike, so each stays priced at its own tier.
      const reads = (mix: typeof m) => ({ ...mix, cache_read_tokens: Math.round(mix.input_tokens * TARGET_HIT) });
      const tiered = c.tiered?.map((p) => ({ tier: p.tier, mix: reads(p.mix) }));
      const cached = priceCell(input.pricer, { mix: reads(m), ...(tiered ? { tiered } : {}) }, input.at);
      if (!now || !cached) continue;
      const saving = (now.toNumber() - cached.toNumber()) * (30 / input.days);
      if (saving <= 0) continue;
      out.push({
        kind: 'caching',
        title: `${c.feature}: ${Math.round(m.input_tokens / m.requests).toLocaleString('en-US')}-token prompts, ${(hit * 100).toFixed(0)}% cache hits`,
        impact_usd_per_month: Math.round(saving * 100) / 100,
        action: `put the stable part of ${c.feature}'s prompt first and enable prompt caching on ${m.model}`,
        effort: 'Low',
        scope: { feature: c.feature, model: m.model },
        evidence: `at ${TARGET_HIT * 100}% cache reads the last ${input.days} days would cost $${cached.toFixed(2)} instead of $${now.toFixed(2)}`,
      });
    }
    return out;
  },
};
