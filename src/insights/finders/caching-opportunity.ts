/**
 * Large prompts that are rarely read from cache: with ≥ 2,000 input tokens a request and
 * a cache hit ratio under 20%, caching the stable prefix may pay. Savings: the same usage
 * with half of each request's input as a cached prefix (a conservative share), written
 * once per 5-minute window (the cache's life at Anthropic, Bedrock and OpenAI) and read by
 * the window's other requests, each priced by the model's own cache-write and cache-read
 * rates (a model without a write rate pays its input rate: an uncached first request).
 * The ledger's rows do not say when within a day requests came, so windows are counted
 * as if the window's requests were spread over the whole window: at most 288 a day, and
 * never more than the requests. A feature with fewer requests than that pays a write for
 * nearly every request, and caching saves it nothing: no insight.
 */
import { formatUsd } from '../../shared/money.js';
import { lastDays, usdPerMonth, type InsightFinder, type Draft } from '../insight.js';
import type { TokenMix } from '../../forecast/token-mix.js';
import { priceCell } from '../price-usage.js';

const LARGE_PROMPT = 2000;
const LOW_HIT = 0.2;
const TARGET_HIT = 0.5;
/** 5-minute cache windows in a day. */
const WINDOWS_A_DAY = 288;

/** `mix` with half its input a cached prefix: `writes` of its requests write it, the rest read it. */
function cachedMix(mix: TokenMix, writes: number): TokenMix {
  if (mix.requests === 0) return mix;
  const prefix = (mix.input_tokens / mix.requests) * TARGET_HIT;
  const written = Math.round(Math.min(mix.requests, writes) * prefix);
  // Written for five minutes, the cache life these windows are counted in.
  return { ...mix, cache_write_tokens: written, cache_write_1h_tokens: 0, cache_read_tokens: Math.max(0, Math.round(mix.input_tokens * TARGET_HIT) - written) };
}

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
      const windows = Math.min(m.requests, Math.ceil(input.days * WINDOWS_A_DAY));
      // Each tier's part cached alike (its share of the writes), so each stays priced at its own tier.
      const tiered = c.tiered?.map((p) => ({ tier: p.tier, mix: cachedMix(p.mix, (windows * p.mix.requests) / m.requests) }));
      const cached = priceCell(input.pricer, { mix: cachedMix(m, windows), ...(tiered ? { tiered } : {}) }, input.at);
      if (!now || !cached) continue;
      const saving = (now.toNumber() - cached.toNumber()) * (30 / input.days);
      if (saving <= 0) continue;
      out.push({
        kind: 'caching',
        title: `${c.feature}: ${Math.round(m.input_tokens / m.requests).toLocaleString('en-US')}-token prompts, ${(hit * 100).toFixed(0)}% cache hits`,
        impact_usd_per_month: usdPerMonth(now.minus(cached), input.days),
        action: `put the stable part of ${c.feature}'s prompt first and enable prompt caching on ${m.model}`,
        effort: 'Low',
        scope: { feature: c.feature, model: m.model },
        evidence: `with ${TARGET_HIT * 100}% of each prompt cached, written once per 5-minute window (${windows.toLocaleString('en-US')} writes for ${m.requests.toLocaleString('en-US')} requests), ${lastDays(input.days)} would cost ${formatUsd(cached)} instead of ${formatUsd(now)}`,
      });
    }
    return out;
  },
};
