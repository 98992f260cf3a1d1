/**
 * The pre-launch estimate: no history, so spend = requests per day × days × the
 * catalogue price of one request's tokens. The band is an assumption, not a fit:
 * launch traffic is usually off by a factor, so P10/P90 are ×0.6 / ×1.6 of the formula
 * (a lognormal with σ ≈ 0.37), and the recommended budget adds headroom on top of P90.
 * The horizon's days run from today (UTC); from a day on which the catalogue has scheduled
 * a price change of the model (scheduled-prices.ts, as `forecast` finds them), a request
 * costs what it costs then.
 */
import type { Pricer, PriceRequest } from '../pricing/pricer.js';
import { ScheduledPrices, type ModelPriceChange } from './scheduled-prices.js';
import { emptyMix } from './token-mix.js';
import { NO_WHAT_IF } from './what-if.js';
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

/** A day from which a request costs otherwise: a scheduled price change in the horizon. */
export interface NewFeaturePriceStep {
  from: string;
  cost_per_request: Dec;
  per_day: Dec;
  models: ModelPriceChange[];
}

export interface NewFeatureEstimate {
  provider: string;
  model: string;
  /** Today's prices. */
  cost_per_request: Dec;
  per_day: Dec;
  /** The days from a scheduled price change, at its prices: in P10–P90 too. */
  price_changes: NewFeaturePriceStep[];
  p10: Dec;
  p50: Dec;
  p90: Dec;
  recommended_budget: Dec;
}

export const LAUNCH_LOW = '0.6';
const DAY_MS = 86_400_000;
export const LAUNCH_HIGH = '1.6';

/** @returns null when the model has no price. */
export function estimateNewFeature(pricer: Pricer, input: NewFeatureInput): NewFeatureEstimate | { unpriced: string } {
  const request = (provider: string | undefined, model: string, at: Date): PriceRequest => ({
    provider,
    model,
    at,
    usage: { input: input.inputTokens, cacheRead: input.cacheReadTokens ?? 0, output: input.outputTokens, requests: 1 },
    convention: LEDGER_CONVENTION,
  });
  const result = pricer.price(request(input.provider, input.model, input.at));
  if (result.status !== 'priced') return { unpriced: result.reason };
  const perDay = result.cost.times(input.requestsPerDay);
  // One request of the model, as forecast's groups' mixes are, to find its scheduled changes.
  const mix = { ...emptyMix(result.provider, result.matchedModel), requests: 1, input_tokens: input.inputTokens, cache_read_tokens: input.cacheReadTokens ?? 0, output_tokens: input.outputTokens };
  const today = new Date(Math.floor(input.at.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const changes = ScheduledPrices.find(pricer, [{ dims: {}, mix: [mix] }], NO_WHAT_IF, today, input.days, input.at).changesOf(mix);
  const steps: NewFeaturePriceStep[] = [];
  let p50 = dec(0);
  let from = 0;
  let perDayNow = perDay;
  for (const { day, at, change } of changes) {
    const h = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    const then = pricer.price(request(result.provider, result.matchedModel, at));
    // No price from then: the request keeps the price it had (as forecast keeps a group's).
    const cost = then.status === 'priced' ? then.cost : (steps.at(-1)?.cost_per_request ?? result.cost);
    p50 = p50.plus(perDayNow.times(h - from));
    perDayNow = cost.times(input.requestsPerDay);
    from = h;
    steps.push({ from: day, cost_per_request: cost, per_day: perDayNow, models: [change] });
  }
  p50 = p50.plus(perDayNow.times(input.days - from));
  const p90 = p50.times(dec(LAUNCH_HIGH));
  return {
    provider: result.provider,
    model: result.matchedModel,
    cost_per_request: result.cost,
    per_day: perDay,
    price_changes: steps,
    p10: p50.times(dec(LAUNCH_LOW)),
    p50,
    p90,
    recommended_budget: p90.times(dec(1 + input.headroom)),
  };
}
