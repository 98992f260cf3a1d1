/**
 * A price change the catalogue has scheduled inside a budget's days to come (gemini-3.6-flash
 * doubles on 2027-01-01, inside a week from 2026-12-28): the days from it are priced at the
 * new rates by `forecast`'s own rule (scheduled-prices.ts), the budget's scope taken as one
 * group, its last week's model mix priced at that day's rates against today's, and billed
 * money with no tokens kept at its level.
 */
import type { BudgetConfig } from '../config/config-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import { scopeWhatIf } from './budget-what-if.js';
import { ScheduledPrices, type GroupPrices, type PriceStep } from './scheduled-prices.js';
import type { GroupHistory } from './spend-history.js';
import { whatIfFactor, type WhatIf } from './what-if.js';

export interface BudgetPrices {
  /** Per day from `first`, the multiplier on its spend at today's prices. */
  dayScale: number[];
  steps: PriceStep[];
  /** Changed models the scope spends on as billed money only: kept at today's level. */
  untouched: GroupPrices['untouched'];
}

/**
 * The price steps in the `days` UTC days from `first` (ms, a UTC midnight) of a budget
 * whose scope's history is `scope`; undefined when no model it spends on changes price then.
 */
export function budgetPrices(pricer: Pricer, budget: BudgetConfig, scope: GroupHistory | undefined, w: WhatIf, first: number, days: number, now: Date): BudgetPrices | undefined {
  if (scope === undefined || days <= 0 || scope.mix.length === 0) return undefined;
  const { dims, whatIf } = scopeWhatIf(w, budget);
  // The scope is one group whose dimensions are the values it pins, so a switch naming one applies.
  const group: GroupHistory = { ...scope, dims };
  const scheduled = ScheduledPrices.find(pricer, [group], whatIf, new Date(first).toISOString().slice(0, 10), days, now);
  const prices = scheduled.forGroup(group, whatIfFactor(whatIf, dims, scope.mix, pricer, now, scope.recentCost));
  if (prices === undefined) return undefined;
  return { dayScale: [...prices.factors], steps: prices.steps, untouched: prices.untouched };
}
