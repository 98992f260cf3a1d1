/**
 * What the savings insights add up to without counting a dollar twice. Several insights
 * can be about the same spend: switching a model (model_arbitrage, scoped to the model
 * across features) and, for one feature on that model, batching it, caching its prompts
 * or moving it to a smaller model. Those are alternatives (or compound: a batch discount
 * on the cheaper model is smaller), so their sum overstates what acting on all of them
 * saves. Per model, this takes the larger of the model-wide saving and the sum over its
 * features of each feature's largest saving: a floor of what the actions save together.
 * Risks (anomalies, budgets, concentration) are exposure, not savings, and stay out.
 */
import { roundUsd } from '../shared/money.js';
import type { Insight } from './insight.js';

/** Kinds whose impact is money the action saves each month. */
export const SAVING_KINDS: ReadonlySet<string> = new Set(['model_arbitrage', 'workload_fit', 'batch', 'caching']);

export function savingsTotal(insights: readonly Insight[]): number {
  // Model-wide savings per model, then per provider of it: one model id at two providers
  // is two providers' spend, which add.
  const modelWide = new Map<string, Map<string, number>>();
  const perFeature = new Map<string, Map<string, number>>();
  for (const i of insights) {
    if (!SAVING_KINDS.has(i.kind)) continue;
    const model = i.scope.model ?? '';
    const feature = i.scope.feature;
    if (feature === undefined) {
      let providers = modelWide.get(model);
      if (providers === undefined) modelWide.set(model, (providers = new Map()));
      const provider = i.scope.provider ?? '';
      providers.set(provider, Math.max(providers.get(provider) ?? 0, i.impact_usd_per_month));
      continue;
    }
    let features = perFeature.get(model);
    if (features === undefined) perFeature.set(model, (features = new Map()));
    features.set(feature, Math.max(features.get(feature) ?? 0, i.impact_usd_per_month));
  }
  let total = 0;
  for (const model of new Set([...modelWide.keys(), ...perFeature.keys()])) {
    let featureSum = 0;
    for (const v of perFeature.get(model)?.values() ?? []) featureSum += v;
    let wide = 0;
    for (const v of modelWide.get(model)?.values() ?? []) wide += v;
    total += Math.max(wide, featureSum);
  }
  return roundUsd(total);
}
