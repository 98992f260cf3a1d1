/**
 * The per-group numbers a baseline records and a check compares: requests, cost and
 * tokens per request, cache hit ratio and model mix, all derived from the token mix.
 */
import { dec, type Dec } from '../shared/money.js';
import type { BaselineGroup, TokenSlice } from './baseline-schema.js';

export interface MixTotals {
  requests: number;
  input: number;
  output: number;
  cacheRead: number;
}

export function mixTotals(slices: readonly TokenSlice[]): MixTotals {
  const t: MixTotals = { requests: 0, input: 0, output: 0, cacheRead: 0 };
  for (const s of slices) {
    t.requests += s.requests;
    t.input += s.input;
    t.output += s.output;
    t.cacheRead += s.cache_read;
  }
  return t;
}

/** Rounds for the file: enough digits to compare, few enough to read in a diff. */
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Cost per request to a tick (1e-10 USD): finer than any price, and a terminating decimal. */
export function perRequest(cost: Dec, requests: number): Dec {
  return requests > 0 ? cost.div(requests).toDecimalPlaces(10) : dec(0);
}

export function modelMix(slices: readonly TokenSlice[]): Record<string, number> {
  const byModel = new Map<string, number>();
  let total = 0;
  for (const s of slices) {
    byModel.set(s.model, (byModel.get(s.model) ?? 0) + s.requests);
    total += s.requests;
  }
  const entries = [...byModel.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([m, n]) => [m, total > 0 ? round(n / total, 6) : 0]));
}

/** Share of requests per service tier; a slice without one is `standard`. */
export function tierMix(slices: readonly TokenSlice[]): Record<string, number> {
  const byTier = new Map<string, number>();
  let total = 0;
  for (const s of slices) {
    const tier = s.service_tier ?? 'standard';
    byTier.set(tier, (byTier.get(tier) ?? 0) + s.requests);
    total += s.requests;
  }
  const entries = [...byTier.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([t, n]) => [t, total > 0 ? round(n / total, 6) : 0]));
}

export function cacheHitRatio(t: MixTotals): number | null {
  return t.input > 0 ? round(t.cacheRead / t.input, 6) : null;
}

/** A baseline group from its token mix and the mix's cost. */
export function baselineGroup(slices: TokenSlice[], cost: Dec): BaselineGroup {
  const t = mixTotals(slices);
  return {
    requests: t.requests,
    cost_usd: cost.toFixed(),
    cost_per_request_usd: perRequest(cost, t.requests).toFixed(),
    input_tokens_per_request: t.requests > 0 ? round(t.input / t.requests, 4) : 0,
    output_tokens_per_request: t.requests > 0 ? round(t.output / t.requests, 4) : 0,
    cache_hit_ratio: cacheHitRatio(t),
    model_mix: modelMix(slices),
    token_mix: slices,
  };
}
