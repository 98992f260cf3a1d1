/**
 * FOCUS ListCost of a row llmfin priced under a negotiated discount (`pricing.discounts`
 * in llmfin.yaml): the catalogue's list price for the row's usage, before the discount.
 * The row's own cost is the discounted price, which FOCUS calls ContractedCost (and,
 * without commitments to amortise, EffectiveCost and BilledCost too).
 */
import type { UsageEntry } from '../ledger/ledger-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import { ledgerRowPriceRequest } from '../repricing/reprice-ledger.js';

/** The row's list cost as exact decimal text, or undefined when it is the row's cost (no discount applies, or the cost is not llmfin's price). */
export type ListCostOf = (entry: UsageEntry) => string | undefined;

export function listCostFrom(pricer: Pricer): ListCostOf {
  return (entry) => {
    if (entry.cost_status !== 'priced' || entry.model === null) return undefined;
    const priced = pricer.price(ledgerRowPriceRequest(entry));
    if (priced.status !== 'priced' || priced.discount === null) return undefined;
    return priced.breakdown.cost.toFixed();
  };
}
