/**
 * A forecast's what-if (`--traffic x2`, `--prompt-growth 30%`, `--model …`) applied to a
 * budget's trajectory: the question behind it is most often "would we break a budget?".
 * The budget's scope is one group to the what-if, its recent token mix the one its
 * spend history read. A model switch applies when it is for every group or names a value
 * the scope pins (`feature=checkout` for a budget scoped to that feature); one naming
 * another dimension would need the scope's spend split by it, so it is left out and said.
 */
import type { BudgetConfig } from '../config/config-schema.js';
import { scopeDimension } from '../budgets/budget-scope.js';
import type { Pricer } from '../pricing/pricer.js';
import type { SpendHistory } from './spend-history.js';
import { whatIfFactor, type ModelSwap, type WhatIf } from './what-if.js';
import { MIN_FORECAST_HISTORY } from './combine-forecast.js';

export interface BudgetWhatIf {
  /** The multiplier on the spend still to come; 1 with no what-if. */
  factor: number;
  /** Model switches naming a dimension the budget's scope does not pin: not applied to it. */
  skippedSwaps: ModelSwap[];
  /** True when a prompt growth or a switch found no priced tokens in the scope's recent history. */
  untouched: boolean;
}

/**
 * The what-if as it applies to a budget's scope, taken as one group: the dimension values the
 * scope pins (its keys as dimensions too) and the model switches that apply to it.
 */
export function scopeWhatIf(w: WhatIf, budget: BudgetConfig): { dims: Record<string, string>; whatIf: WhatIf; skippedSwaps: ModelSwap[] } {
  const dims: Record<string, string> = {};
  for (const [key, value] of Object.entries(budget.scope)) {
    dims[key] = value;
    dims[scopeDimension(key)] = value;
  }
  const applies = (s: ModelSwap) => s.dimension === undefined || dims[s.dimension] === s.value;
  const skippedSwaps = w.swaps.filter((s) => s.dimension !== undefined && dims[s.dimension] === undefined);
  return { dims, whatIf: { ...w, swaps: w.swaps.filter(applies) }, skippedSwaps };
}

export function budgetWhatIf(w: WhatIf, budget: BudgetConfig, history: SpendHistory, pricer: Pricer, now: Date): BudgetWhatIf {
  const { dims, whatIf, skippedSwaps } = scopeWhatIf(w, budget);
  const scope = history.groups[0];
  // A forecast's level is the last week's (what-if.ts); under two weeks of history the period
  // is projected at its own run rate (budget-status.ts), which the whole mix weighs alike.
  const forecast = scope !== undefined && scope.cost.length - scope.first >= MIN_FORECAST_HISTORY;
  const f = whatIfFactor(whatIf, dims, scope?.mix ?? [], pricer, now, forecast ? scope.recentCost : undefined);
  const changesTokens = w.promptGrowth !== 0 || f.swap !== undefined;
  return { factor: f.factor, skippedSwaps, untouched: changesTokens && !f.repriced };
}
