/**
 * Builds one offering's price periods from its sources. genai-prices periods are the
 * skeleton when present (history, tiers); LiteLLM fills what genai-prices lacks, but
 * only into periods whose input and output prices it agrees with: missing components
 * (1-hour cache writes, audio), missing long-context tiers, explicit service-tier
 * prices. Multipliers (batch 0.5, priority 1.75, residency 1.1) are ratios rather than
 * prices and apply to every period. For Bedrock's regional offering, geo profiles and
 * source regions that cost more than the US profile become `geo` modifiers.
 */
import { RATE_COMPONENTS, type Modifier, type Offering, type Period, type Rates, type Tier } from '../catalogue-schema.js';
import { agrees } from './draft-models.js';
import { modifierFromRates } from './modifiers.js';
import type { DraftModel, LitellmRecord, ServiceTierModifiers } from './seed-types.js';
import type { WarningLog } from './warning-log.js';

const SERVICE_TIERS = ['batch', 'flex', 'priority', 'fast'] as const;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function byKey(a: LitellmRecord, b: LitellmRecord): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Preference order of the LiteLLM records of one offering; the first one is the primary. */
export function orderRecords(draft: DraftModel, scope: string, records: LitellmRecord[]): LitellmRecord[] {
  if (draft.provider === 'bedrock' && scope === 'regional') {
    const score = (r: LitellmRecord) =>
      r.geoPrefix === 'us' ? 0 : !r.geoPrefix && !r.awsRegion ? 1 : r.awsRegion === 'us-east-1' ? 2 : r.geoPrefix ? 3 : 4;
    const ordered = [...records].sort((a, b) => score(a) - score(b) || a.rank - b.rank || byKey(a, b));
    // LiteLLM prices some bare in-region ids at the global rate (litellm #42679); AWS bills
    // them at the regional rate, which the geo profiles carry. Drop such bare entries.
    const global = draft.offerings.get('global')?.litellm[0]?.rates;
    const hasGeo = ordered.some((r) => r.geoPrefix && !(global && agrees(r.rates, { rates: global })));
    return ordered.filter((r) => !(hasGeo && global && !r.geoPrefix && !r.awsRegion && agrees(r.rates, { rates: global })));
  }
  const canonical = draft.id.toLowerCase();
  return [...records].sort(
    (a, b) => a.rank - b.rank || Number(b.id.toLowerCase() === canonical) - Number(a.id.toLowerCase() === canonical) || byKey(a, b),
  );
}

function litellmPeriod(r: LitellmRecord): Period {
  const p: Period = { from: null, to: null, rates: clone(r.rates), source: `litellm:${r.key}` };
  if (r.tiers.length > 0) p.tiers = clone(r.tiers);
  return p;
}

/** Fills components and tiers a period lacks from the LiteLLM records that agree with it. */
function enrich(periods: Period[], records: LitellmRecord[]): void {
  for (const p of periods) {
    const agreeing = records.filter((r) => agrees(r.rates, p));
    for (const r of agreeing) {
      for (const c of RATE_COMPONENTS) if (p.rates[c] === undefined && r.rates[c] !== undefined) p.rates[c] = r.rates[c];
      if (!p.tiers && r.tiers.length > 0) p.tiers = clone(r.tiers);
      for (const t of p.tiers ?? []) {
        const same = r.tiers.find((x) => x.above === t.above);
        if (!same) continue;
        for (const c of RATE_COMPONENTS) if (t.rates[c] === undefined && same.rates[c] !== undefined) t.rates[c] = same.rates[c];
      }
    }
    const first = agreeing[0];
    if (first && !p.source.includes(`litellm:${first.key}`)) p.source += ` + litellm:${first.key}`;
  }
}

function applies(m: Modifier, from: LitellmRecord, p: Period): boolean {
  return m.rates === undefined || agrees(from.rates, p);
}

/** Copies service-tier and geo modifiers from the records onto the periods they fit. */
function applyModifiers(periods: Period[], records: LitellmRecord[]): void {
  const contributing = records.filter((r) => periods.some((p) => agrees(r.rates, p)));
  for (const p of periods) {
    for (const tier of SERVICE_TIERS) {
      const from = contributing.find((r) => r.serviceTiers[tier]);
      const m = from?.serviceTiers[tier];
      if (!from || !m || !applies(m, from, p) || p.service_tiers?.[tier]) continue;
      p.service_tiers = { ...(p.service_tiers ?? {}), [tier]: clone(m) } as ServiceTierModifiers;
    }
    for (const r of contributing) {
      for (const [region, m] of Object.entries(r.geo)) {
        if (p.geo?.[region] || !applies(m, r, p)) continue;
        p.geo = { ...(p.geo ?? {}), [region]: clone(m) };
      }
    }
  }
}

/**
 * Bedrock: geo profiles and source regions priced unlike the reference rates (genai-prices'
 * current regional price, else the primary LiteLLM record) become `geo` modifiers keyed
 * by the profile ("eu", "apac") or region ("eu-west-1").
 */
function regionalGeo(periods: Period[], reference: Rates, records: LitellmRecord[], label: string, warnings: WarningLog): void {
  for (const r of records) {
    // A record that prices one of the periods is history, not a region (Bedrock GPT-5.6 launch prices).
    if (periods.some((p) => agrees(r.rates, p))) continue;
    const m = modifierFromRates(reference, r.rates);
    if (!m || m.multiply === '1') continue;
    const region = r.geoPrefix ?? r.awsRegion;
    if (!region) {
      warnings.add(`conflict: litellm:${r.key} (${r.rates.input}/${r.rates.output}) prices ${label} unlike ${reference.input}/${reference.output}; not used`);
      continue;
    }
    for (const p of periods) {
      if (p.geo?.[region] || (m.rates !== undefined && !agrees(reference, p))) continue;
      p.geo = { ...(p.geo ?? {}), [region]: clone(m) };
    }
  }
}

/** Drops tier components the base rates do not define (a tier replaces, it does not add). */
function cleanTiers(periods: Period[], label: string, warnings: WarningLog): void {
  for (const p of periods) {
    if (!p.tiers) continue;
    const kept: Tier[] = [];
    for (const t of [...p.tiers].sort((a, b) => a.above - b.above)) {
      for (const c of RATE_COMPONENTS) {
        if (t.rates[c] !== undefined && p.rates[c] === undefined) {
          warnings.add(`tier: ${label} >${t.above} prices ${c} that the base rates do not; dropped`);
          delete t.rates[c];
        }
      }
      if (Object.keys(t.rates).length > 0) kept.push(t);
    }
    if (kept.length > 0) p.tiers = kept;
    else delete p.tiers;
  }
}

export function buildOffering(draft: DraftModel, scope: string, warnings: WarningLog): Offering | undefined {
  const sources = draft.offerings.get(scope);
  if (!sources) return undefined;
  const records = orderRecords(draft, scope, sources.litellm);
  const primary = records[0];
  let periods: Period[];
  if (sources.genai) periods = clone(sources.genai.periods);
  else if (primary) periods = [litellmPeriod(primary)];
  else return undefined;
  enrich(periods, records);
  applyModifiers(periods, records);
  if (primary && draft.provider === 'bedrock') {
    const reference = sources.genai ? periods[periods.length - 1]!.rates : primary.rates;
    regionalGeo(periods, reference, records, `bedrock/${draft.id} [${scope}]`, warnings);
  }
  else if (primary && !sources.genai) {
    for (const r of records) {
      if (r !== primary && !agrees(r.rates, { rates: primary.rates })) {
        warnings.add(`conflict: litellm:${r.key} (${r.rates.input}/${r.rates.output}) and litellm:${primary.key} (${primary.rates.input}/${primary.rates.output}) price ${draft.provider}/${draft.id} [${scope}] differently; used ${primary.key}`);
      }
    }
  }
  cleanTiers(periods, `${draft.provider}/${draft.id} [${scope}]`, warnings);
  return { scope, periods };
}
