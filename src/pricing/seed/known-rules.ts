/**
 * Billing rules that hold for a whole provider but that the datasets only record for
 * some models. They are applied after the merge, and only where the data says nothing,
 * so a dataset value always wins over a rule:
 *  - Anthropic Message Batches bill 50% of standard on every model (pricing.md §3.2;
 *    https://platform.claude.com/docs/en/about-claude/pricing), but neither dataset
 *    lists batch prices for Anthropic's own API: add `batch: { multiply: "0.5" }`.
 *  - Anthropic 1-hour cache writes cost 2x base input on every model (same pages);
 *    without the rate, 1h writes would fall back to the 5-minute rate, the 37.5%
 *    undercount of pricing.md bug #10: add `cache_write_1h = 2 × input`, tiers included.
 *    Claude served elsewhere (Vertex, Bedrock, Azure) gets the same rule inside
 *    long-context tiers only, when its base rates already carry a 1h price: whether a
 *    platform offers the 1-hour TTL at all is the dataset's call, not ours.
 *  - xAI's long-context threshold is inclusive (LiteLLM `_INCLUSIVE_THRESHOLD_PROVIDERS`,
 *    pricing.md §1.3): every xAI tier compares with "gte".
 */
import type { Model, Period } from '../catalogue-schema.js';
import { timesText } from './decimal-text.js';

function anthropicBatch(p: Period): void {
  if (p.service_tiers?.batch) return;
  p.service_tiers = { batch: { multiply: '0.5' }, ...(p.service_tiers ?? {}) };
}

function anthropicOneHourWrite(p: Period): void {
  if (p.rates.cache_write_1h === undefined && p.rates.cache_write_5m !== undefined) p.rates.cache_write_1h = timesText(p.rates.input, '2');
  for (const t of p.tiers ?? []) {
    if (t.rates.cache_write_1h === undefined && t.rates.input !== undefined && p.rates.cache_write_1h !== undefined) {
      t.rates.cache_write_1h = timesText(t.rates.input, '2');
    }
  }
}

/** Applies the provider-wide rules to one model in place. */
export function applyKnownRules(provider: string, model: Model): void {
  for (const offering of model.offerings) {
    for (const p of offering.periods) {
      if (provider === 'anthropic') {
        anthropicBatch(p);
        anthropicOneHourWrite(p);
      }
      else if (/claude/i.test(model.id) && p.rates.cache_write_1h !== undefined) {
        for (const t of p.tiers ?? []) if (t.rates.cache_write_1h === undefined && t.rates.input !== undefined) t.rates.cache_write_1h = timesText(t.rates.input, '2');
      }
      if (provider === 'xai') for (const t of p.tiers ?? []) t.compare = 'gte';
    }
  }
}
