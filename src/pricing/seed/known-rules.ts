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
 *  - OpenAI bills each call of its built-in web search tool on top of the tokens, $10 per
 *    1,000 calls on every model for the Responses API's `web_search` tool (OpenAI pricing,
 *    built-in tools: https://platform.openai.com/docs/pricing#built-in-tools). Neither
 *    dataset has it: genai-prices has no OpenAI search price, and LiteLLM's
 *    `search_context_cost_per_query` on the search-preview models is the March-2025 list by
 *    search context size ($25–$50 per 1,000) that OpenAI has since replaced by one price per
 *    call. The search-preview models of Chat Completions are non-reasoning models that
 *    always search with the preview tool, billed $25 per 1,000 calls ("Web search preview
 *    (non-reasoning models)", same page). Every OpenAI chat model gets a web_search rate,
 *    so a search counted on one is never priced at $0 for want of a rate.
 *  - OpenAI's Flex processing costs what its Batch API does (pricing.md §3.1: "same price
 *    as Batch", https://dev.classmethod.jp/en/articles/openai-flex-processing/), but
 *    LiteLLM lists only the flex price for gpt-5, gpt-5-mini, gpt-5-nano, o3 and o4-mini,
 *    all sold on the Batch API: a model with a flex price and none for batch gets that
 *    price for batch, so a batch job's rows are priced instead of refused as unpriced.
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

/** USD per web search call: the `web_search` tool on any model, and the Chat Completions search-preview models. */
const OPENAI_WEB_SEARCH = '0.01';
const OPENAI_SEARCH_PREVIEW_WEB_SEARCH = '0.025';
const OPENAI_WEB_SEARCH_SOURCE = 'web_search: https://platform.openai.com/docs/pricing#built-in-tools';

function openaiWebSearch(model: Model, p: Period): void {
  if (model.kind !== 'chat' || p.rates.web_search !== undefined) return;
  p.rates.web_search = /-search-preview$/.test(model.id) ? OPENAI_SEARCH_PREVIEW_WEB_SEARCH : OPENAI_WEB_SEARCH;
  p.source = `${p.source} + ${OPENAI_WEB_SEARCH_SOURCE}`;
}

function openaiBatchFromFlex(p: Period): void {
  const flex = p.service_tiers?.flex;
  if (flex === undefined || p.service_tiers?.batch !== undefined) return;
  p.service_tiers = { batch: flex, ...p.service_tiers };
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
      if (provider === 'openai') {
        openaiWebSearch(model, p);
        openaiBatchFromFlex(p);
      }
    }
  }
}
