/**
 * A group's token mix per served model, and its price under the current catalogue:
 * what the decomposition (requests × tokens per request × price) and the what-ifs
 * (more traffic, longer prompts, another model) are computed from. Exact decimals.
 */
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import type { Pricer, PriceRequest } from '../pricing/pricer.js';
import { dec, type Dec } from '../shared/money.js';
import { LEDGER_CONVENTION } from '../pricing/token-usage.js';
import type { ReportRow } from '../reports/build-report.js';

export interface TokenMix {
  provider: string;
  model: string;
  requests: number;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  /**
   * The part of cache_write_tokens written to the 1-hour cache, priced at its own rate (a
   * 5-minute write's 1.6× at Anthropic). Report rows do not split writes by their life
   * (mixOfRow: 0, all 5-minute); the insights read it from the ledger.
   */
  cache_write_1h_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** What the ledger says this usage cost. */
  cost: Dec;
}

/** A mix's counts (everything but its model and cost), for code that adds or takes them all. */
export const MIX_COUNTS = ['requests', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens'] as const;

export interface MixChange {
  /** Multiplies every input token (prompt growth). */
  inputScale?: number;
  /** Prices the usage as this model instead (a model switch). */
  model?: string;
  provider?: string | undefined;
  /** Prices it on this service tier (batch, flex…) instead of the standard one. */
  serviceTier?: ServiceTier;
}

/** A report row's tokens and recorded cost as a mix (its provider and model dimensions, when grouped by them). */
export function mixOfRow(r: ReportRow): TokenMix {
  return {
    provider: r.provider ?? '',
    model: r.model ?? '',
    requests: r.requests,
    input_tokens: r.input_tokens,
    cache_read_tokens: r.cache_read_tokens,
    cache_write_tokens: r.cache_write_tokens,
    cache_write_1h_tokens: 0,
    output_tokens: r.output_tokens,
    reasoning_tokens: r.reasoning_tokens,
    cost: dec(r.cost_usd_exact),
  };
}

/**
 * The mix priced at `at`, or null when the model has no price then. In integers where the
 * pricer can (priceExact: the same decimal text as `price`, test/pricing/price-exact):
 * a history prices each of its rows twice, then and now, and a budget status many histories.
 */
export function priceMix(pricer: Pricer, mix: TokenMix, at: Date, change: MixChange = {}): Dec | null {
  const result = pricer.priceExact(mixPriceRequest(mix, at, change));
  return result.status === 'priced' ? dec(result.costUsd) : null;
}

/** What `priceMix` asks the pricer: the mix's counts as a usage, with the change applied. */
export function mixPriceRequest(mix: TokenMix, at: Date, change: MixChange = {}): PriceRequest {
  const scale = change.inputScale ?? 1;
  const s = (n: number) => Math.round(n * scale);
  // A part of the writes, never more (parts of a mix clamped field by field could say so).
  const oneHour = Math.max(0, Math.min(mix.cache_write_1h_tokens, mix.cache_write_tokens));
  return {
    provider: change.model !== undefined ? change.provider : mix.provider,
    model: change.model ?? mix.model,
    at,
    ...(change.serviceTier !== undefined && change.serviceTier !== 'standard' ? { serviceTier: change.serviceTier } : {}),
    convention: LEDGER_CONVENTION,
    usage: {
      input: s(mix.input_tokens),
      cacheRead: s(mix.cache_read_tokens),
      cacheWrite5m: s(mix.cache_write_tokens - oneHour),
      cacheWrite1h: s(oneHour),
      output: mix.output_tokens,
      reasoning: Math.min(mix.reasoning_tokens, mix.output_tokens),
      requests: mix.requests,
    },
  };
}

/** A mix's provider and model as one key (spend-history.ts `recentCost`). */
export const mixKey = (m: { provider: string; model: string }): string => `${m.provider}\u0000${m.model}`;

/** Adds `b` into `a` (same provider and model). */
export function addMix(a: TokenMix, b: Omit<TokenMix, 'provider' | 'model'>): void {
  for (const f of MIX_COUNTS) a[f] += b[f];
  a.cost = a.cost.plus(b.cost);
}

export function emptyMix(provider: string, model: string): TokenMix {
  return { provider, model, requests: 0, input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cache_write_1h_tokens: 0, output_tokens: 0, reasoning_tokens: 0, cost: dec(0) };
}
