/**
 * The pre-launch estimate: no history, so spend = requests per day × days × the
 * catalogue price of one request's tokens. The band is an assumption, not a fit:
 * launch traffic is usually off by a factor, so P10/P90 are ×0.6 / ×1.6 of the formula
 * (a lognormal with σ ≈ 0.37), and the recommended budget adds headroom on top of P90.
 */
import type { Pricer } from '../pricing/pricer.js';
import { LEDGER_CONVENTION } from '../pricing/token-usage.js';
import { dec, type Dec } from '../shared/money.js';

export interface NewFeatureInput {
  requestsPerDay: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  model: string;
  provider?: string | undefined;
  days: number;
  /** Extra over P90 for the budget (0.2 = 20%). */
  headroom: number;
  at: Date;
}

export interface NewFeatureEstimate {
  provider: string;
  model: string;
  cost_per_request: Dec;
  per_day: Dec;
  p10: Dec;
  p50: Dec;
  p90: Dec;
  recommended_budget: Dec;
}

export const LAUNCH_LOW = '0.6';
export const LAUNCH_HIGH = '1.6';

/** @returns null when the model has no price. */
export function estimateNewFeature(pricer: Pricer, input: NewFeatureInput): NewFeatureEstimate | { unpriced: string } {
  const result = pricer.price({
    provider: input.provider,
    model: input.model,
    at: input.at,
    usage: { input: input.inputTokens, cacheRead: input.cacheReadTokens ?? 0, output: input.outputTokens, requests: 1 },
    convention: LEDGER_CONVENTION,
  });
  if (result.status !== 'priced') return { unpriced: result.reason };
  const perDay = result.cost.times(input.requestsPerDay);
  const p50 = perDay.times(input.days);
  const p90 = p50.times(dec(LAUNCH_HIGH));
  return {
    provider: result.provider,
    model: result.matchedModel,
    cost_per_request: result.cost,
    per_day: perDay,
    p10: p50.times(dec(LAUNCH_LOW)),
    p50,
    p90,
    recommended_budget: p90.times(dec(1 + input.headroom)),
  };
}
