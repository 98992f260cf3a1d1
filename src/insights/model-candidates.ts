/**
 * Other models a workload could run on: chat models of the first-party providers with a
 * price today, by catalogue class (flagship / workhorse / small), and the class of a
 * served model.
 */
import type { ModelClass } from '../pricing/catalogue-schema.js';
import { findPeriod } from '../pricing/cost-engine.js';
import type { Pricer } from '../pricing/pricer.js';
import { isResolved, resolveModel } from '../pricing/resolve-model.js';

/**
 * The model lines a team can move a workload to with a reasonable expectation of like-for-
 * like quality: the current generations of the three frontier labs' API families. Open-
 * weight, legacy, preview and special-purpose ids (gemma, older gemini-pro, deepseek…) may
 * be cheaper in the catalogue, but a savings list full of them reads as noise to the people
 * who would have to make the move, so they are not suggested.
 */
const FAMILIES: Readonly<Record<string, RegExp>> = {
  openai: /^(gpt-5(\.\d+)?(-mini|-nano)?|gpt-4\.1(-mini|-nano)?|o3|o4-mini)$/,
  anthropic: /^claude-(opus|sonnet|haiku)-4(-\d+)?$/,
  google: /^gemini-(2\.5|3(\.\d+)?)-(pro|flash|flash-lite)$/,
};

export const CANDIDATE_PROVIDERS = Object.keys(FAMILIES);

export interface Candidate {
  provider: string;
  model: string;
  class: ModelClass;
}

export function classOf(pricer: Pricer, provider: string, model: string, at: Date): ModelClass | undefined {
  const r = resolveModel(pricer.catalogue, { provider, model, at });
  return isResolved(r) ? r.model.class : undefined;
}

const cache = new WeakMap<Pricer, Candidate[]>();

export function candidates(pricer: Pricer, at: Date): Candidate[] {
  const hit = cache.get(pricer);
  if (hit) return hit;
  const out: Candidate[] = [];
  for (const id of CANDIDATE_PROVIDERS) {
    const file = pricer.catalogue.provider(id);
    if (!file) continue;
    for (const m of file.models) {
      if (m.kind !== 'chat' || !m.class || !FAMILIES[id]!.test(m.id) || (m.deprecated && Date.parse(m.deprecated) <= at.getTime())) continue;
      const offering = m.offerings.find((o) => o.scope === 'default') ?? m.offerings[0];
      if (!offering || !findPeriod(offering, at)) continue;
      out.push({ provider: file.provider, model: m.id, class: m.class });
    }
  }
  cache.set(pricer, out);
  return out;
}

/**
 * Whether `model` (costing `cost`) should replace the best candidate so far: cheaper, or
 * as cheap and of a later generation (`claude-sonnet-4-6` over `claude-sonnet-4-0`,
 * `gpt-5.1` over `gpt-5`), so a tie does not send a workload to the older model.
 */
export function beats(cost: number, model: string, best: { cost: number; model: string } | null): boolean {
  if (best === null || cost < best.cost) return true;
  return cost === best.cost && model.localeCompare(best.model, 'en', { numeric: true }) > 0;
}
