/**
 * The most a request can cost, for the gate's reservation (gateways.md §4.3): its prompt
 * estimated at four characters a token, all of it uncached input, plus every output token
 * it may generate (`max_tokens`, or a default cap when the client set none, for each of
 * the `n` completions it asks for), at the model's prices — long-context tiers included,
 * since the Pricer reprices the whole request past a tier's threshold (LiteLLM PR
 * #40002) — and every server-side web search its tools allow (`max_uses`, or a default
 * cap), each a fee on top of the tokens. 0n when the model is unpriced: the gate then cannot reserve money for it, and
 * says so in its own way.
 */
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import { usdToTicks } from '../shared/money.js';
import { memoFor, type PriceMemo } from './price-memo.js';

/** Output tokens assumed when a request sets no cap (LiteLLM reserves min(16,384, model max); most replies are far shorter). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/** Searches assumed for a web search tool without `max_uses` (Anthropic sets no limit of its own). */
export const DEFAULT_MAX_WEB_SEARCHES = 10;

export interface MaxCostQuery {
  provider: string | undefined;
  model: string;
  promptChars: number;
  /** The client's cap, or undefined for the default. */
  maxOutputTokens: number | undefined;
  /** Completions asked for (OpenAI chat's `n`), each up to the cap; 1 when undefined. */
  choices?: number | undefined;
  /** Server-side web searches the request's tools allow; none when undefined. */
  webSearches?: number | undefined;
  at: Date;
  serviceTier?: ServiceTier | undefined;
  /** A region priced apart the request asks for (RequestFacts.region). */
  region?: string | undefined;
  defaultMaxOutputTokens?: number | undefined;
}

/** Prompt tokens estimated from characters: about four characters per token for English text and code. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

const memos = new WeakMap<object, PriceMemo<bigint>>();

export function maxCostTicks(pricer: Pricer, q: MaxCostQuery): bigint {
  const output = (q.maxOutputTokens ?? q.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS) * (q.choices ?? 1);
  const input = estimateTokens(q.promptChars);
  const webSearches = q.webSearches ?? 0;
  return memoFor(memos, pricer).get(`${q.provider ?? ''}\u0000${q.model}\u0000${q.serviceTier ?? ''}\u0000${q.region ?? ''}\u0000${input}/${output}/${webSearches}`, q.at.getTime(), () => {
    const usage = { input, output, webSearches };
    let result = pricer.price({ provider: q.provider, model: q.model, at: q.at, usage, serviceTier: q.serviceTier, region: q.region });
    // A tier or region the catalogue has no price for (priority on an older model): the
    // standard rates, rather than no reservation at all.
    if (result.status !== 'priced' && (q.serviceTier !== undefined || q.region !== undefined)) result = pricer.price({ provider: q.provider, model: q.model, at: q.at, usage });
    return result.status === 'priced' ? usdToTicks(result.cost) : 0n;
  });
}
