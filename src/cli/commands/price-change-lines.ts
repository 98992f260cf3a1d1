/** The lines that name a scheduled price change under `forecast`'s table and `budget status`'s. */
import type { ModelPriceChange, PriceStep } from '../../forecast/scheduled-prices.js';
import { PER_UNIT_COMPONENTS } from '../../pricing/cost-engine.js';
import { dec } from '../../shared/money.js';
import { rateText } from '../output/rate-text.js';

/**
 * One line per model and day of a scheduled price change: its rates before and from the
 * day, and what it does to each named group's (or budget's) spend per day against today's prices (largest
 * groups first, five at most).
 */
export function priceChangeLines(named: ReadonlyArray<{ name: string; steps: readonly PriceStep[] }>): string[] {
  const changes = new Map<string, { from: string; model: ModelPriceChange; groups: string[] }>();
  for (const g of named) {
    for (const step of g.steps) {
      for (const m of step.models) {
        const key = `${step.from}\u0000${m.provider}\u0000${m.model}`;
        const c = changes.get(key) ?? { from: step.from, model: m, groups: [] };
        const change = step.cost_factor - 1;
        c.groups.push(`${g.name} ${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`);
        changes.set(key, c);
      }
    }
  }
  return [...changes.values()]
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
    .map(({ from, model, groups: named }) => {
      const shown = named.length > 5 ? `${named.slice(0, 5).join(', ')} and ${named.length - 5} more` : named.join(', ');
      return `price change from ${from}: ${model.model} (${model.provider}) ${rateChangeText(model)}; spend per day against today's prices: ${shown}`;
    });
}

/** A model's rates before → from a change, the ones that change: `input $0.75 → $1.5 · output $3.75 → $7.5 per 1M tokens`. */
export function rateChangeText(m: ModelPriceChange): string {
  if (m.rates_after === null) return 'has no price from then: its spend stays at today\'s rates';
  const before = m.rates_before ?? {};
  const parts: string[] = [];
  const fees: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(m.rates_after)])) {
    const a = before[key];
    const b = m.rates_after[key];
    if (a === b) continue;
    const text = (v: number | undefined) => (v === undefined ? 'none' : rateText(dec(v).toFixed(), '$'));
    const unit = PER_UNIT_COMPONENTS[key];
    (unit !== undefined ? fees : parts).push(`${key} ${text(a)} → ${text(b)}${unit !== undefined ? ` per ${unit}` : ''}`);
  }
  const tokens = parts.length > 0 ? [`${parts.join(' · ')} per 1M tokens`] : [];
  const discount = m.discount_percent_before !== m.discount_percent_after ? [`discount ${m.discount_percent_before}% → ${m.discount_percent_after}%`] : [];
  return [...tokens, ...fees, ...discount].join(' · ');
}
