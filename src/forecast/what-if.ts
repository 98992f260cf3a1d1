/**
 * What-ifs on a forecast: `--traffic x2` (requests), `--prompt-growth 30%` (input tokens
 * per request), `--model feature=checkout:claude-haiku-4-5` (another model for a group's
 * tokens). Each becomes a factor on the group's cost per day, computed by pricing the
 * group's recent token mix before and after the change.
 */
import type { Pricer } from '../pricing/pricer.js';
import type { TokenMix } from './token-mix.js';
import { priceMix } from './token-mix.js';

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
}

/** The multiplier a what-if puts on a group's spend. */
export function whatIfFactor(w: WhatIf, dims: Readonly<Record<string, string>>, mix: readonly TokenMix[], pricer: Pricer, at: Date): WhatIfFactor {
  const swap = swapFor(w.swaps, dims);
  if (w.promptGrowth === 0 && !swap) return { factor: w.traffic, unpriced: [], repriced: true };
  let before = 0;
  let after = 0;
  const unpriced: string[] = [];
  for (const m of mix) {
    const base = priceMix(pricer, m, at);
    if (!base) continue;
    const changed = priceMix(pricer, m, at, { inputScale: 1 + w.promptGrowth, ...(swap ? { model: swap.model } : {}) });
    before += base.toNumber();
    if (changed) after += changed.toNumber();
    else {
      after += base.toNumber();
      unpriced.push(swap ? swap.model : m.model);
    }
  }
  return { factor: w.traffic * (before > 0 ? after / before : 1), unpriced, ...(swap ? { swap } : {}), repriced: before > 0 };
}

/**
 * The model switch a group takes: the first that names one of its values, else a model for
 * all. A switch for every group given first must not take the group another names.
 */
export function swapFor(swaps: readonly ModelSwap[], dims: Readonly<Record<string, string>>): ModelSwap | undefined {
  return swaps.find((s) => s.dimension !== undefined && dims[s.dimension] === s.value) ?? swaps.find((s) => s.dimension === undefined);
}
