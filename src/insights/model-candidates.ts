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
 * Ids that are not a sensible like-for-like move: open-weight or legacy generations,
 * previews and vision-only variants.
 */
const NOT_A_CANDIDATE = /(oss|vision|preview|exp|instant|-\d{3}$|gemini-1\.|gemini-flash-1|gpt-3|gpt-4-|claude-2|claude-3-|ministral|open-|codestral|tiny|nemo|pixtral|embed|audio|realtime|search|tts|transcribe)/i;

export const CANDIDATE_PROVIDERS = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'xai'];

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
      if (m.kind !== 'chat' || !m.class || NOT_A_CANDIDATE.test(m.id) || (m.deprecated && Date.parse(m.deprecated) <= at.getTime())) continue;
      const offering = m.offerings.find((o) => o.scope === 'default') ?? m.offerings[0];
      if (!offering || !findPeriod(offering, at)) continue;
      out.push({ provider: file.provider, model: m.id, class: m.class });
    }
  }
  cache.set(pricer, out);
  return out;
}
