/**
 * Which of a window's tokens the ledger recorded on a discounted service tier (batch,
 * flex), per insight cell (feature, provider, model, interactive): reports do not split
 * spend by tier, and the insights must price that usage as it is billed (price-usage.ts).
 * Billed rows carry no tokens and are left out; where two layers (provider usage and
 * metered) both record a cell's tiered tokens, the larger is kept rather than the sum,
 * since they describe the same requests. A failed attempt is no request here either
 * (failed-attempt.ts), as in the cell's own count: counted, it would shift the cell's
 * requests from its standard part to its tiered one, and their average prompts with them.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Attributor } from '../attribution/attributor.js';
import type { Identifiers } from '../attribution/identifiers.js';
import { emptyMix, MIX_COUNTS, type TokenMix } from '../forecast/token-mix.js';
import { IDENTIFIER_COLUMNS } from '../ledger/ledger-schema.js';
import { COUNTED_REQUESTS } from '../ledger/queries/failed-attempt.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import type { TieredPart, UsageCell } from './insight.js';

const DISCOUNTED: readonly ServiceTier[] = ['batch', 'flex'];

export function cellKey(feature: string, provider: string, model: string, interactive: boolean | null): string {
  return [feature, provider, model, String(interactive)].join('\u0000');
}

/** A row of the query below: a layer's and tier's token counts (a TokenMix's) for one set of identifiers (`id_…`). */
type TierRow = Omit<TokenMix, 'provider' | 'model' | 'cost'> & {
  provenance: string;
  service_tier: ServiceTier;
  [column: string]: unknown;
};

const NAMES = Object.keys(IDENTIFIER_COLUMNS) as (keyof typeof IDENTIFIER_COLUMNS)[];

/** The identifier columns as `id_…` (to select) and as they are (to group by): what a row's cell is read from. */
export function identifierSql(): { cols: RawBuilder<unknown>; groupBy: RawBuilder<unknown> } {
  return {
    cols: sql.join(NAMES.map((n) => sql`${sql.ref(IDENTIFIER_COLUMNS[n])} as ${sql.ref(`id_${n}`)}`)),
    groupBy: sql.join(NAMES.map((n) => sql.ref(IDENTIFIER_COLUMNS[n]))),
  };
}

/** A row's identifiers (its `id_…` columns), and the insight cell they attribute it to. */
export function cellOfRow(attributor: Attributor, r: Record<string, unknown>): { ids: Identifiers; key: string } {
  const ids: Identifiers = {};
  for (const n of NAMES) {
    const v = r[`id_${n}`];
    (ids as Record<string, string | null>)[n] = v === null || v === undefined || v === '' ? null : String(v);
  }
  const interactive = attributor.value(ids, 'interactive');
  const key = cellKey(attributor.value(ids, 'feature') ?? '(unattributed)', attributor.value(ids, 'provider') ?? '', attributor.value(ids, 'model') ?? '', interactive === 'false' ? false : interactive === 'true' ? true : null);
  return { ids, key };
}

export async function tieredUsage(ledger: LedgerStore, attributor: Attributor, period: { since: string; until: string }): Promise<Map<string, TieredPart[]>> {
  const { cols, groupBy } = identifierSql();
  const result = await sql<TierRow>`select provenance, service_tier, ${cols},
      sum(${sql.raw(COUNTED_REQUESTS)}) as requests, sum(input_tokens) as input_tokens, sum(cache_read_tokens) as cache_read_tokens,
      sum(cache_write_5m_tokens + cache_write_1h_tokens) as cache_write_tokens, sum(cache_write_1h_tokens) as cache_write_1h_tokens,
      sum(output_tokens) as output_tokens,
      sum(reasoning_tokens) as reasoning_tokens
    from usage_entries
    where charge_category = 'usage' and provenance <> 'billed' and model is not null
      and service_tier in (${sql.join(DISCOUNTED)}) and ts >= ${period.since} and ts < ${period.until}
    group by provenance, service_tier, ${groupBy}`.execute(ledger.db);
  // cell → tier → provenance → tokens
  const byLayer = new Map<string, Map<ServiceTier, Map<string, TieredPart>>>();
  for (const r of result.rows) {
    const { ids, key } = cellOfRow(attributor, r);
    let tiers = byLayer.get(key);
    if (!tiers) byLayer.set(key, (tiers = new Map()));
    let layers = tiers.get(r.service_tier);
    if (!layers) tiers.set(r.service_tier, (layers = new Map()));
    let part = layers.get(r.provenance);
    if (!part) layers.set(r.provenance, (part = { tier: r.service_tier, mix: emptyMix(ids.provider ?? '', ids.model ?? '') }));
    for (const f of MIX_COUNTS) part.mix[f] += Number(r[f] ?? 0);
  }
  const out = new Map<string, TieredPart[]>();
  for (const [key, tiers] of byLayer) {
    const parts: TieredPart[] = [];
    for (const layers of tiers.values()) {
      const size = (p: TieredPart) => p.mix.input_tokens + p.mix.output_tokens;
      parts.push([...layers.values()].reduce((a, b) => (size(b) > size(a) ? b : a)));
    }
    out.set(key, parts);
  }
  return out;
}

/**
 * The cell's tiered parts, each no larger than what is left of the cell's own mix (the
 * cell is the attributing layer's usage; a tier read from another layer cannot exceed it).
 */
export function tieredOf(cell: UsageCell, parts: readonly TieredPart[] | undefined): TieredPart[] | undefined {
  if (!parts || parts.length === 0) return undefined;
  const left = { ...cell.mix };
  const out: TieredPart[] = [];
  for (const p of parts) {
    const mix = emptyMix(cell.mix.provider, cell.mix.model);
    for (const f of MIX_COUNTS) {
      mix[f] = Math.max(0, Math.min(p.mix[f], left[f]));
      left[f] -= mix[f];
    }
    if (mix.input_tokens + mix.output_tokens > 0) out.push({ tier: p.tier, mix });
  }
  return out.length > 0 ? out : undefined;
}
