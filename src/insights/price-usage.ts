/**
 * A usage cell priced as it is billed: the part the ledger recorded on a discounted
 * service tier (batch, flex) at that tier's price, the rest at the standard price. A
 * workload already on the batch API must not be priced as if it paid the standard rate:
 * that would offer a batch discount it already has, and overstate what another model saves.
 */
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import { addMix, emptyMix, MIX_COUNTS, priceMix, type TokenMix } from '../forecast/token-mix.js';
import type { Dec } from '../shared/money.js';
import type { TieredPart, UsageCell } from './insight.js';

export interface PriceTarget {
  /** Another model to price the usage on (a switch); the cell's own when absent. */
  provider?: string;
  model?: string;
}

/** `mix` priced on `tier`, or null when the model has no price (or none for that tier). */
export function priceTokens(pricer: Pricer, mix: TokenMix, at: Date, tier: ServiceTier, target: PriceTarget = {}): Dec | null {
  return priceMix(pricer, mix, at, { ...target, serviceTier: tier });
}

/** The part of a cell's usage recorded on the standard tier (all of it when nothing was on another). */
export function standardPart(cell: Pick<UsageCell, 'mix' | 'tiered'>): TokenMix {
  const rest = { ...cell.mix };
  for (const p of cell.tiered ?? []) for (const f of MIX_COUNTS) rest[f] -= p.mix[f];
  return rest;
}

/**
 * The cell's usage priced as billed: the standard part at standard prices, each tiered
 * part at its tier's. On another model (`target`) a tier that model does not offer is
 * priced at its standard rate, which is what moving there would cost. Null when the
 * model has no price.
 */
export function priceCell(pricer: Pricer, cell: Pick<UsageCell, 'mix' | 'tiered'>, at: Date, target: PriceTarget = {}): Dec | null {
  let total = priceTokens(pricer, standardPart(cell), at, 'standard', target);
  if (total === null) return null;
  for (const p of cell.tiered ?? []) {
    const cost = priceTokens(pricer, p.mix, at, p.tier, target) ?? (target.model !== undefined ? priceTokens(pricer, p.mix, at, 'standard', target) : null);
    if (cost === null) return null;
    total = total.plus(cost);
  }
  return total;
}

/** Adds `b`'s tiered parts into `a`'s, tier by tier (cells of one model summed). */
export function addTiered(a: TieredPart[], b: readonly TieredPart[], provider: string, model: string): void {
  for (const p of b) {
    let into = a.find((x) => x.tier === p.tier);
    if (!into) a.push((into = { tier: p.tier, mix: emptyMix(provider, model) }));
    addMix(into.mix, p.mix);
  }
}
