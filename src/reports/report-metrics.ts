/**
 * The metrics of a report row, accumulated exactly (ticks as bigint) and turned into the
 * contract's JSON (PRODUCT.md: money as USD numbers, tokens as integers).
 */
import type { FactSums } from '../ledger/queries/usage-facts.js';
import { ticksToUsd } from '../shared/money.js';

/**
 * The sums a report row accumulates: a fact's (usage-facts.ts), added up with
 * addFactSums — the cost, the parts of it on rows that count their requests and their
 * tokens, and the requests and tokens of rows without a price (whose cost is in no
 * numerator).
 */
export type MetricSums = FactSums;

/**
 * The requests cost per request divides: those of the rows with a price. A row without
 * one (an unknown model) has no cost in the numerator; counting its requests in the
 * divisor would spread the priced rows' cost over them and understate the figure.
 */
export const pricedRequests = (s: MetricSums): number => s.requests - s.unpriced_requests;

/** The tokens (input + output) cost per 1M tokens divides: those of the rows with a price. */
export const pricedTokens = (s: MetricSums): number => s.input_tokens + s.output_tokens - s.unpriced_tokens;

export interface RowMetrics {
  cost_usd: number;
  /** Exact decimal text of cost_usd, for CSV and finance. */
  cost_usd_exact: string;
  share: number;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_per_request_usd: number | null;
  cost_per_1m_tokens_usd: number | null;
  /** Cache reads over all input tokens. */
  cache_hit_ratio: number | null;
  unpriced_rows: number;
}

/**
 * Cost per request, in ticks per request, or undefined when it is unknown: the cost of the
 * rows that count their requests over those requests. Aggregated exports that do not count
 * requests (Anthropic usage and cost reports, billed cost exports, FOCUS…) record 0; their
 * dollars are left out of the numerator rather than spread over requests they do not
 * include, which would inflate the figure of any group mixing them with proxy rows or
 * OpenAI usage buckets. No counted request: unknown, not $0 and not infinite. Requests
 * counted but none of their rows priced (an unknown model): unknown too, not $0. The
 * requests of rows without a price are left out of the divisor (pricedRequests).
 */
export function costPerRequestTicks(s: MetricSums): number | undefined {
  return known(s, s.counted_cost_ticks, pricedRequests(s)) ? Number(s.counted_cost_ticks) / pricedRequests(s) : undefined;
}

/**
 * Cost per 1M tokens, in ticks per token, or undefined when it is unknown: the cost of the
 * rows that count their tokens over those tokens (input + output). Billed exports (cost
 * exports, CUR, FOCUS…) and a bill's unattributed remainder carry cost but no tokens;
 * their dollars are left out of the numerator rather than spread over tokens they do not
 * include, which would inflate the figure of any group mixing them with rows that have
 * tokens. No token: unknown, not $0 and not infinite. Tokens counted but none of their
 * rows priced (an unknown model): unknown too, not $0. The tokens of rows without a price
 * are left out of the divisor (pricedTokens).
 */
export function costPerTokenTicks(s: MetricSums): number | undefined {
  return known(s, s.tokened_cost_ticks, pricedTokens(s)) ? Number(s.tokened_cost_ticks) / pricedTokens(s) : undefined;
}

/**
 * Whether a per-unit figure (`part` of the cost over `units`) is known: some unit is
 * counted, and not every row, nor every row of the part, is without a price.
 */
function known(s: MetricSums, part: bigint, units: number): boolean {
  return units > 0 && !(s.rows > 0 && s.unpriced_rows >= s.rows) && !(part === 0n && s.unpriced_rows > 0);
}

/** `share` is the row's cost over `totalTicks`, truncated to millionths, unless the caller allocated it. */
export function rowMetrics(s: MetricSums, totalTicks: bigint, share?: number): RowMetrics {
  const usd = ticksToUsd(s.cost_ticks);
  return {
    cost_usd: usd.toNumber(),
    cost_usd_exact: usd.toFixed(),
    share: share ?? (totalTicks === 0n ? 0 : Number((s.cost_ticks * 1_000_000n) / totalTicks) / 1_000_000),
    requests: s.requests,
    input_tokens: s.input_tokens,
    output_tokens: s.output_tokens,
    cache_read_tokens: s.cache_read_tokens,
    cache_write_tokens: s.cache_write_tokens,
    reasoning_tokens: s.reasoning_tokens,
    cost_per_request_usd: known(s, s.counted_cost_ticks, pricedRequests(s)) ? ticksToUsd(s.counted_cost_ticks).div(pricedRequests(s)).toDecimalPlaces(10).toNumber() : null,
    cost_per_1m_tokens_usd: known(s, s.tokened_cost_ticks, pricedTokens(s)) ? ticksToUsd(s.tokened_cost_ticks).mul(1_000_000).div(pricedTokens(s)).toDecimalPlaces(10).toNumber() : null,
    cache_hit_ratio: s.input_tokens > 0 ? Math.round((s.cache_read_tokens / s.input_tokens) * 1e6) / 1e6 : null,
    unpriced_rows: s.unpriced_rows,
  };
}
