/**
 * Second pass over the drafts: folds dated snapshots into their family when they cost
 * the same, gives a lone dated id its family name (`anthropic.claude-sonnet-4-5-20250929`
 * → `anthropic.claude-sonnet-4-5`, keeping the dated id as an exact spelling), and
 * turns LiteLLM-only `-latest` entries into aliases of the model they currently price
 * like (`mistral-large-latest` → `mistral-large-2512`). A `-latest` name whose price
 * matches no model stays a model: it has its own price.
 */
import type { Alias, Rates } from '../catalogue-schema.js';
import { ALIAS_OVERRIDES } from './corrections.js';
import { agrees } from './draft-models.js';
import type { DraftModel } from './seed-types.js';
import type { WarningLog } from './warning-log.js';

const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

export interface ProviderAlias {
  provider: string;
  alias: Alias;
}

function isLitellmOnly(d: DraftModel): boolean {
  return [...d.offerings.values()].every((o) => !o.genai);
}

/** The rates a draft charges now in one scope: genai's last period, else its best LiteLLM record. */
export function currentRates(d: DraftModel, scope?: string): Rates | undefined {
  const o = scope === undefined ? [...d.offerings.values()][0] : d.offerings.get(scope);
  if (!o) return undefined;
  const periods = o.genai?.periods;
  if (periods && periods.length > 0) return periods[periods.length - 1]!.rates;
  return [...o.litellm].sort((a, b) => a.rank - b.rank)[0]?.rates;
}

function sameEverywhere(a: DraftModel, b: DraftModel): boolean {
  for (const scope of a.offerings.keys()) {
    const ra = currentRates(a, scope);
    const rb = currentRates(b, scope);
    if (!ra || !rb || !agrees(ra, { rates: rb })) return false;
  }
  return true;
}

export function tidyDrafts(drafts: DraftModel[], warnings: WarningLog): { drafts: DraftModel[]; aliases: ProviderAlias[] } {
  const key = (provider: string, id: string) => `${provider}\u0000${id.toLowerCase()}`;
  const byId = new Map(drafts.map((d) => [key(d.provider, d.id), d]));
  const removed = new Set<DraftModel>();

  // 1. A LiteLLM-only dated snapshot priced like its undated family joins the family.
  for (const d of drafts) {
    const m = DATED.exec(d.id);
    if (!m || !isLitellmOnly(d)) continue;
    const family = byId.get(key(d.provider, d.id.slice(0, m.index)));
    if (!family || family === d || !sameEverywhere(d, family)) continue;
    for (const e of d.exact) family.exact.add(e);
    for (const [scope, o] of d.offerings) {
      const target = family.offerings.get(scope);
      if (target) target.litellm.push(...o.litellm);
      else family.offerings.set(scope, o);
    }
    removed.add(d);
  }

  // 2. A dated id alone in its family takes the family name.
  const live = drafts.filter((d) => !removed.has(d));
  const stems = new Map<string, DraftModel[]>();
  for (const d of live) {
    const m = DATED.exec(d.id);
    if (m) stems.set(key(d.provider, d.id.slice(0, m.index)), [...(stems.get(key(d.provider, d.id.slice(0, m.index))) ?? []), d]);
  }
  for (const [stemKey, group] of stems) {
    if (group.length !== 1 || byId.has(stemKey)) continue;
    const d = group[0]!;
    const stem = d.id.replace(DATED, '');
    const claimedElsewhere = live.some((o) => o !== d && o.provider === d.provider && o.exact.has(stem.toLowerCase()));
    if (claimedElsewhere) continue;
    d.exact.add(d.id.toLowerCase());
    d.exact.add(stem.toLowerCase());
    d.id = stem;
  }

  // 3. LiteLLM-only "-latest" entries become aliases of what they price like.
  const aliases: ProviderAlias[] = [];
  for (const d of live) {
    if (!/-latest$/i.test(d.id) || !isLitellmOnly(d)) continue;
    const rates = currentRates(d);
    const override = ALIAS_OVERRIDES.find((o) => o.provider === d.provider && o.alias === d.id.toLowerCase());
    let target: DraftModel | undefined;
    if (override) {
      target = live.find((o) => o.provider === d.provider && o.id.toLowerCase() === override.target);
      const targetRates = target && currentRates(target);
      if (!target || !rates || !targetRates || !agrees(rates, { rates: targetRates })) {
        warnings.add(`alias override ${d.provider}/${override.alias} → ${override.target} no longer matches ${override.litellmKey}; check corrections.ts`);
      }
    } else {
      const stem = d.id.toLowerCase().replace(/-latest$/, '');
      const candidates = live.filter((o) => {
        if (o === d || o.provider !== d.provider || removed.has(o) || /-latest$/i.test(o.id)) return false;
        const id = o.id.toLowerCase();
        const r = currentRates(o);
        return (id === stem || id.startsWith(`${stem}-`)) && rates !== undefined && r !== undefined && agrees(rates, { rates: r });
      });
      target = candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).pop();
    }
    if (!target) continue;
    for (const r of [...d.offerings.values()].flatMap((o) => o.litellm)) {
      if (rates && !agrees(r.rates, { rates })) {
        warnings.add(`conflict: litellm:${r.key} (${r.rates.input}/${r.rates.output}) disagrees with the ${rates.input}/${rates.output} that made ${d.provider}/${d.id} an alias of ${target.id}; not used`);
      }
    }
    aliases.push({ provider: d.provider, alias: { id: d.id.toLowerCase(), target: target.id, from: null, to: null } });
    for (const e of d.exact) if (e !== d.id.toLowerCase() && !/-latest$/.test(e)) target.exact.add(e);
    removed.add(d);
  }
  return { drafts: drafts.filter((d) => !removed.has(d)), aliases };
}
