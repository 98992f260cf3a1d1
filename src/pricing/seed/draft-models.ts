/**
 * Groups the records of both datasets into one draft per model. genai-prices records
 * start the drafts (they carry the match rules and history); each LiteLLM record then
 * joins the draft whose rules claim its id, provided its input and output prices agree
 * with one of the draft's periods. A LiteLLM record that is claimed but disagrees is a
 * dated snapshot with its own price (`gpt-4o-2024-05-13` at 5/15 under `gpt-4o` at
 * 2.5/10): it leaves the family and becomes its own model, and its id is taken out of
 * the family's exact list. Records nobody claims become LiteLLM-only drafts.
 */
import { ALIAS_OVERRIDES } from './corrections.js';
import { sameDecimal } from './decimal-text.js';
import type { Period, Rates } from '../catalogue-schema.js';
import type { DraftModel, GenaiRecord, LitellmRecord } from './seed-types.js';
import { isSnapshotOf } from './snapshot-pattern.js';
import type { WarningLog } from './warning-log.js';

export function newDraft(provider: string, id: string): DraftModel {
  return { provider, id, kind: 'chat', exact: new Set([id.toLowerCase()]), prefixes: new Set(), regex: new Set(), offerings: new Map() };
}

export function offeringOf(draft: DraftModel, scope: string) {
  let o = draft.offerings.get(scope);
  if (!o) {
    o = { litellm: [] };
    draft.offerings.set(scope, o);
  }
  return o;
}

/** How a draft's rules claim an id: by an exact id, or as a family member. */
export function claims(draft: DraftModel, id: string): 'exact' | 'family' | undefined {
  const lower = id.toLowerCase();
  if (draft.exact.has(lower)) return 'exact';
  for (const p of draft.prefixes) if (lower === p || isSnapshotOf(draft.provider, p, lower)) return 'family';
  for (const r of draft.regex) if (new RegExp(r, 'i').test(lower)) return 'family';
  return undefined;
}

export function agrees(rates: Rates, period: Pick<Period, 'rates'>): boolean {
  return sameDecimal(rates.input, period.rates.input) && sameDecimal(rates.output, period.rates.output);
}

function priceText(rates: Rates): string {
  return `${rates.input}/${rates.output}`;
}

/** Drafts from genai-prices records, one per provider and id (scopes become offerings). */
function genaiDrafts(records: GenaiRecord[], warnings: WarningLog): DraftModel[] {
  const byKey = new Map<string, DraftModel>();
  for (const r of records) {
    const key = `${r.provider}\u0000${r.id.toLowerCase()}`;
    let d = byKey.get(key);
    if (!d) {
      d = newDraft(r.provider, r.id);
      d.name = r.name;
      d.kind = r.kind;
      byKey.set(key, d);
    }
    const o = offeringOf(d, r.scope);
    if (o.genai) {
      warnings.add(`${r.source}: a second genai-prices entry for ${r.provider}/${r.id} (${r.scope}); kept ${o.genai.source}`);
      continue;
    }
    o.genai = r;
    for (const e of r.exact) d.exact.add(e);
    for (const p of r.prefixes) d.prefixes.add(p);
    for (const x of r.regex) d.regex.add(x);
  }
  return [...byKey.values()];
}

/** The genai draft that should receive a LiteLLM record, with how it claims the id. */
function claimant(drafts: DraftModel[], r: LitellmRecord): { draft: DraftModel; how: 'exact' | 'family' } | undefined {
  let best: { draft: DraftModel; how: 'exact' | 'family' } | undefined;
  for (const d of drafts) {
    if (d.id.toLowerCase() === r.id.toLowerCase()) return { draft: d, how: 'exact' };
    const how = claims(d, r.id);
    if (how && (!best || (best.how === 'family' && how === 'exact'))) best = { draft: d, how };
  }
  return best;
}

function periodsForScope(draft: DraftModel, scope: string): Period[] | undefined {
  return draft.offerings.get(scope)?.genai?.periods;
}

export function buildDrafts(genai: GenaiRecord[], litellm: LitellmRecord[], warnings: WarningLog): DraftModel[] {
  const drafts = genaiDrafts(genai, warnings);
  const byProvider = new Map<string, DraftModel[]>();
  for (const d of drafts) byProvider.set(d.provider, [...(byProvider.get(d.provider) ?? []), d]);
  const orphans: LitellmRecord[] = [];
  const ordered = [...litellm].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of ordered) {
    const hit = claimant(byProvider.get(r.provider) ?? [], r);
    if (!hit) {
      orphans.push(r);
      continue;
    }
    const { draft } = hit;
    const periods = periodsForScope(draft, r.scope);
    if (!periods || periods.some((p) => agrees(r.rates, p))) {
      offeringOf(draft, r.scope).litellm.push(r);
      draft.exact.add(r.id.toLowerCase());
      for (const s of r.spellings) draft.exact.add(s.toLowerCase());
      continue;
    }
    const genaiText = periods.map((p) => priceText(p.rates)).join(' then ');
    if (r.provider === 'bedrock') {
      const fit = bedrockFit(r, draft, litellm);
      // A Bedrock id is the same model whatever its profile: never split it off.
      if (fit !== 'disagree' || r.geoPrefix || r.awsRegion) {
        if (fit === 'geo') offeringOf(draft, r.scope).litellm.push(r);
        if (fit === 'disagree') warnings.add(`disagreement: litellm:${r.key} (${priceText(r.rates)}) vs ${draft.offerings.get(r.scope)?.genai?.source} (${genaiText}); genai-prices kept`);
        draft.exact.add(r.id.toLowerCase());
        for (const s of r.spellings) draft.exact.add(s.toLowerCase());
        continue;
      }
    }
    const override = ALIAS_OVERRIDES.some((o) => o.provider === r.provider && o.alias === r.id.toLowerCase());
    if (draft.id.toLowerCase() === r.id.toLowerCase() || (r.id.toLowerCase().endsWith('-latest') && !override)) {
      warnings.add(`disagreement: litellm:${r.key} (${priceText(r.rates)}) vs ${draft.offerings.get(r.scope)?.genai?.source} (${genaiText}); genai-prices kept`);
      continue;
    }
    warnings.add(`split: litellm:${r.key} (${priceText(r.rates)}) is claimed by ${draft.provider}/${draft.id} (${genaiText}) but priced differently; kept as its own model`);
    draft.exact.delete(r.id.toLowerCase());
    orphans.push(r);
  }
  return [...drafts, ...litellmDrafts(orphans, drafts)];
}

/**
 * How a Bedrock record that disagrees with genai-prices' regional price still fits:
 *  - "spelling": a bare in-region id that LiteLLM prices at the global rate (litellm
 *    #42679; AWS bills the regional rate, pricing.md bug #15): keep the id, not the price;
 *  - "geo": a geo profile or source region that genai-prices does not name (it prices
 *    `amazon.nova-lite` once, LiteLLM has `eu.` at 1.3x): a regional geo modifier;
 *  - "disagree": a profile genai-prices names explicitly with another price.
 */
function bedrockFit(r: LitellmRecord, draft: DraftModel, all: LitellmRecord[]): 'spelling' | 'geo' | 'disagree' {
  if (r.scope !== 'regional') return 'disagree';
  if (!r.geoPrefix && !r.awsRegion) {
    const global = draft.offerings.get('global');
    const globalRates = [
      ...(global?.genai?.periods ?? []).map((p) => p.rates),
      ...all.filter((x) => x.provider === 'bedrock' && x.scope === 'global' && x.id.toLowerCase() === r.id.toLowerCase()).map((x) => x.rates),
    ];
    return globalRates.some((g) => agrees(r.rates, { rates: g })) ? 'spelling' : 'disagree';
  }
  const named = r.geoPrefix !== undefined && draft.offerings.get('regional')?.genai?.geoPrefixes.includes(r.geoPrefix);
  return named ? 'disagree' : 'geo';
}

/** Drafts for LiteLLM records no genai-prices model claimed, one per provider and id. */
function litellmDrafts(records: LitellmRecord[], existing: DraftModel[]): DraftModel[] {
  const byKey = new Map<string, DraftModel>();
  for (const r of records) {
    const key = `${r.provider}\u0000${r.id.toLowerCase()}`;
    let d = byKey.get(key);
    if (!d) {
      d = newDraft(r.provider, r.id);
      d.kind = r.kind;
      byKey.set(key, d);
    }
    offeringOf(d, r.scope).litellm.push(r);
    for (const s of r.spellings) d.exact.add(s.toLowerCase());
  }
  // An id claimed by a genai draft's exact list keeps that claim; the LiteLLM draft must not repeat it.
  const taken = new Set(existing.flatMap((d) => [...d.exact].map((e) => `${d.provider}\u0000${e}`)));
  for (const d of byKey.values()) {
    for (const e of [...d.exact]) if (e !== d.id.toLowerCase() && taken.has(`${d.provider}\u0000${e}`)) d.exact.delete(e);
  }
  return [...byKey.values()];
}
