/**
 * Turns a draft into a catalogue `Model`: offerings in the provider's scope order,
 * exact ids with the canonical id first, dated-snapshot regexes for each family prefix,
 * the usage-convention override where the model reports usage unlike its provider,
 * the class heuristic, and the provider-wide known rules.
 */
import type { Model, Offering } from '../catalogue-schema.js';
import { buildOffering } from './build-offering.js';
import { applyKnownRules } from './known-rules.js';
import { classFor } from './model-class.js';
import { PROVIDERS, isProviderHead, modelConventionOverride } from './provider-map.js';
import type { DraftModel } from './seed-types.js';
import { snapshotRegex } from './snapshot-pattern.js';
import type { WarningLog } from './warning-log.js';

/**
 * Extra spellings callers send: Claude version pairs with a dot ("claude-sonnet-4.5"),
 * GPT/o-series versions with a dash ("gpt-5-4"), and the last segment of
 * "provider/model" ids that the resolver strips ("openai/gpt-oss-120b" → "gpt-oss-120b").
 */
export function spellingVariants(id: string): string[] {
  const lower = id.toLowerCase();
  const out: string[] = [];
  if (lower.includes('claude')) out.push(lower.replace(/(?<![\d.])(\d)-(\d)(?!\d)/g, '$1.$2'));
  if (/^(gpt-|o\d)/.test(lower) || lower.includes('claude')) out.push(lower.replace(/(\d)\.(\d)/g, '$1-$2'));
  const slash = lower.indexOf('/');
  if (slash > 0 && isProviderHead(lower.slice(0, slash))) out.push(lower.slice(slash + 1));
  return out.filter((v) => v !== lower);
}

function orderedScopes(draft: DraftModel): string[] {
  const order = PROVIDERS[draft.provider]?.scopeOrder ?? ['default'];
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...draft.offerings.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

function kindOf(draft: DraftModel): Model['kind'] {
  for (const o of draft.offerings.values()) {
    const r = [...o.litellm].sort((a, b) => a.rank - b.rank)[0];
    if (r) return r.kind;
  }
  return draft.kind;
}

/**
 * The model's deprecation date: its own LiteLLM entry's, else the latest date when every
 * entry carries one (a dated snapshot's retirement is not the family's).
 */
function deprecationOf(draft: DraftModel): string | undefined {
  const records = [...draft.offerings.values()].flatMap((o) => o.litellm);
  const own = records.find((r) => r.id.toLowerCase() === draft.id.toLowerCase() && r.deprecated);
  if (own) return own.deprecated;
  if (records.length === 0 || records.some((r) => !r.deprecated)) return undefined;
  return records.map((r) => r.deprecated!).sort().pop();
}

export function buildModel(draft: DraftModel, warnings: WarningLog): Model | undefined {
  const offerings: Offering[] = [];
  for (const scope of orderedScopes(draft)) {
    const o = buildOffering(draft, scope, warnings);
    if (o) offerings.push(o);
  }
  if (offerings.length === 0) return undefined;
  const id = draft.id;
  const exact = new Set(draft.exact);
  for (const e of [...exact]) for (const v of spellingVariants(e)) exact.add(v);
  exact.delete(id.toLowerCase());
  const regex = new Set(draft.regex);
  for (const p of draft.prefixes) regex.add(snapshotRegex(draft.provider, p));
  const kind = kindOf(draft);
  const model: Model = {
    id,
    kind,
    match: { exact: [id.toLowerCase(), ...[...exact].sort()] },
    offerings,
  };
  if (draft.name) model.name = draft.name;
  const cls = classFor(id, kind);
  if (cls) model.class = cls;
  if (regex.size > 0) model.match.regex = [...regex].sort();
  const convention = modelConventionOverride(draft.provider, id);
  if (convention) model.usage_convention = convention;
  const deprecated = deprecationOf(draft);
  if (deprecated) model.deprecated = deprecated;
  applyKnownRules(draft.provider, model);
  return model;
}
