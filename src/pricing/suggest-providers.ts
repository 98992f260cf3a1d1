/**
 * "Did you mean …?" for a provider name the catalogue does not know. A provider that is
 * not priced is allowed (an invoice from a vendor llmfin has no rates for), but one a
 * typo away from a known provider is almost always that provider: recorded under its own
 * name, "antropic"'s invoice would sit beside anthropic's rows, billed against nothing,
 * and anthropic's month would reconcile against no invoice at all.
 */
import type { PriceCatalogue } from './price-catalogue.js';
import { editDistance } from './suggest-models.js';

/**
 * The catalogue's provider ids within a typo of `name` (one for a short name, two from
 * eight characters), nearest first; aliases count as their provider. Nothing when `name`
 * is a known id or alias, or when nothing is that close.
 */
export function suggestProviders(catalogue: Pick<PriceCatalogue, 'providerIds' | 'canonicalProviderId' | 'providerAliases'>, name: string): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted.length < 3 || catalogue.canonicalProviderId(wanted) !== undefined) return [];
  const max = wanted.length >= 8 ? 2 : 1;
  const best = new Map<string, number>();
  const spellings: Array<[string, string]> = [...catalogue.providerIds.map((id): [string, string] => [id, id]), ...catalogue.providerAliases()];
  for (const [spelling, id] of spellings) {
    const d = editDistance(wanted, spelling, max);
    if (d <= max && d < (best.get(id) ?? Infinity)) best.set(id, d);
  }
  return [...best].sort((a, b) => a[1] - b[1]).map(([id]) => id);
}
