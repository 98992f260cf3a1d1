/**
 * What-ifs on a forecast: `--traffic x2` (requests), `--prompt-growth 30%` (input tokens
 * per request), `--model feature=checkout:claude-haiku-4-5` (another model for a group's
 * tokens). Each becomes a factor on the group's cost per day, computed by pricing the
 * group's recent token mix before and after the change.
 */
import type { Pricer } from '../pricing/pricer.js';
import type { TokenMix } from './token-mix.js';
import { emptyMix, mixKey, priceMix } from './token-mix.js';

export interface ModelSwap {
  /** Only groups where this dimension has this value; undefined: every group. */
  dimension?: string;
  value?: string;
  model: string;
}

export interface WhatIf {
  traffic: number;
  promptGrowth: number;
  swaps: ModelSwap[];
}

export const NO_WHAT_IF: WhatIf = { traffic: 1, promptGrowth: 0, swaps: [] };

export interface WhatIfFactor {
  factor: number;
  /** Models that could not be priced with the change (their cost stays as it was). */
  unpriced: string[];
  /** The model switch that applies to the group (the first whose dimension value it has), if any. */
  swap?: ModelSwap;
  /**
   * False when the group's recent history has no priced tokens to change (billed rows carry
   * money only): a prompt growth or a model switch then leaves its cost as it is.
   */
  repriced: boolean;
  /**
   * The group's last-week spend the factor stands on (its models with priced tokens,
   * `recentCost`); 0 when it had none and the mix's own weights were used. What it leaves
   * of the group's spend (billed money with no tokens) a scheduled price change cannot
   * re-price (scheduled-prices.ts). 0 too when nothing was priced (no change to price).
   */
  weighted: number;
  /**
   * The rest of the group's last-week spend, which the change cannot re-price and the factor
   * keeps at its level (× the traffic): per model (mixKey) with no priced tokens (billed
   * money only, unattributed money, a model with no price now), in USD. Empty when the
   * factor is the whole group's (no recent priced tokens: the mix's own weights).
   */
  kept: Map<string, number>;
}

/**
 * The multiplier a what-if puts on a group's spend. `recentCost`: the group's spend per
 * model over its last week (spend-history.ts); each model's change is weighted by it, since
 * the forecast's level is the recent one: a group moved from gpt-4.1 to gpt-4.1-mini two
 * weeks ago is forecast at mini's cost, and its 28-day mix, two weeks of each, made a switch
 * back to gpt-4.1 ×2.2 instead of ×5. Without recent tokened spend, the mix's own weights.
 * The last week's money with no priced tokens to change (`kept`) stays at its level.
 * `pricedAt`: when the changed mix is priced, if not at `at` (a day to come, at the prices
 * the catalogue has for it: scheduled-prices.ts); a model with no price then keeps `at`'s.
 */
export function whatIfFactor(
  w: WhatIf,
  dims: Readonly<Record<string, string>>,
  mix: readonly TokenMix[],
  pricer: Pricer,
  at: Date,
  recentCost?: ReadonlyMap<string, number>,
  pricedAt: Date = at,
): WhatIfFactor {
  const swap = swapFor(w.swaps, dims);
  if (w.promptGrowth === 0 && !swap && pricedAt === at) return { factor: w.traffic, unpriced: [], repriced: true, weighted: 0, kept: new Map() };
  let before = 0;
  let after = 0;
  let recent = 0;
  let recentAfter = 0;
  const unpriced: string[] = [];
  /** The models `recent` weighs: the rest of `recentCost` is money the change cannot re-price. */
  const weighed = new Set<string>();
  for (const m of mix) {
    const base = priceMix(pricer, m, at);
    if (!base) continue;
    const change = { inputScale: 1 + w.promptGrowth, ...(swap ? { model: swap.model } : {}) };
    const changed = priceMix(pricer, m, pricedAt, change) ?? (pricedAt !== at ? priceMix(pricer, m, at, change) : null);
    const b = base.toNumber();
    const a = changed ? changed.toNumber() : b;
    if (!changed) unpriced.push(swap ? swap.model : m.model);
    before += b;
    after += a;
    // A model with no priced tokens (billed money only) weighs nothing: its a / b is 0 / 0,
    // and 0 × NaN made the whole group's factor NaN.
    if (b <= 0) continue;
    const weight = recentCost?.get(mixKey(m)) ?? 0;
    weighed.add(mixKey(m));
    recent += weight;
    recentAfter += weight * (a / b);
  }
  // The last week's money on models with no priced tokens (billed money only, unattributed
  // money) stays at its level: a what-if re-prices the tokens it knows, and the ratio of those
  // put on a group's bill for another model made `--model feature=x:sonnet` triple money billed
  // on gpt-4o. (Float noise of a sum that is all weighed is none.)
  const kept = new Map<string, number>();
  let keptUsd = 0;
  if (recent > 0) {
    let total = recent;
    for (const [key, usd] of recentCost ?? []) {
      if (weighed.has(key) || usd <= 0) continue;
      kept.set(key, usd);
      keptUsd += usd;
      total += usd;
    }
    if (keptUsd <= total * 1e-9) {
      kept.clear();
      keptUsd = 0;
    }
  }
  const ratio = recent > 0 ? (keptUsd + recentAfter) / (keptUsd + recent) : before > 0 ? after / before : 1;
  return { factor: w.traffic * ratio, unpriced, ...(swap ? { swap } : {}), repriced: before > 0, weighted: recent, kept };
}

/**
 * The model switch a group takes: the first that names one of its values, else a model for
 * all. A switch for every group given first must not take the group another names.
 */
export function swapFor(swaps: readonly ModelSwap[], dims: Readonly<Record<string, string>>): ModelSwap | undefined {
  return swaps.find((s) => s.dimension !== undefined && dims[s.dimension] === s.value) ?? swaps.find((s) => s.dimension === undefined);
}

/**
 * Whether the catalogue can price a switch to `model` at `at`: asked as `whatIfFactor` asks
 * it, with no provider (a switch names a model only), of one request of one input token.
 */
export function pricesSwitchTo(pricer: Pricer, model: string, at: Date): boolean {
  return priceMix(pricer, { ...emptyMix('', model), requests: 1, input_tokens: 1 }, at, { model }) !== null;
}
