/**
 * Re-pricing token mixes. `check` prices the baseline's and the current run's token
 * mixes twice — at the baseline's prices and at today's — so that a price change is
 * never blamed on the code, and a code change is never hidden by a price cut.
 *
 * How "the baseline's prices" are recovered: `baseline save` copies the catalogue
 * entry of every model the run used (ids, offerings with their price periods and
 * modifiers, the provider's usage convention and aliases) into the file's `prices`.
 * `check` builds a catalogue from those entries alone and prices with the ordinary
 * Pricer at the baseline's `priced_at`; a model the baseline never used (a switch to a
 * new model) is not in that snapshot, so it is priced with the current catalogue and
 * the result says so (`fallback_models`). The config's discounts apply on both sides.
 *
 * A slice is priced as one aggregated usage (its summed tokens, `requests` = its
 * request count); the cost engine judges long-context tiers by the average request
 * (cost-engine.ts). So that an average does not hide long prompts (5 requests of 250k
 * and 5 of 50k average 150k, under Claude's 200k threshold), a run's requests are split
 * at the model's long-context thresholds (`longContextSplit`): each part's requests are
 * on one side of every threshold, and its average with them.
 */
import type { DiscountConfig } from '../config/config-schema.js';
import type { CatalogueManifest, ProviderFile, ServiceTier } from '../pricing/catalogue-schema.js';
import { SERVICE_TIERS } from '../pricing/catalogue-schema.js';
import { PriceCatalogue } from '../pricing/price-catalogue.js';
import { Pricer } from '../pricing/pricer.js';
import { isResolved, resolveModel } from '../pricing/resolve-model.js';
import { findPeriod, findTier } from '../pricing/cost-engine.js';
import { Dec, dec } from '../shared/money.js';
import type { PriceSnapshot, TokenSlice } from './baseline-schema.js';
import { LEDGER_CONVENTION } from '../pricing/token-usage.js';

/** The ledger's own token taxonomy: input includes cache, output includes reasoning. */

/** A way to price slices, possibly falling back to a second pricer. */
export interface SlicePricer {
  readonly label: string;
  readonly catalogueVersion: string;
  price(slice: TokenSlice, at: Date): SliceCost;
}

export interface SliceCost {
  cost: Dec;
  /** `priced`, `fallback` (priced by the current catalogue) or `recorded` (the ledger's cost; nothing could price it). */
  how: 'priced' | 'fallback' | 'recorded';
}

export interface MixCost {
  cost: Dec;
  requests: number;
  /** Models priced by the current catalogue because the baseline's snapshot lacks them. */
  fallbackModels: string[];
  /** Models nothing could price: their recorded ledger cost was used. */
  unpricedModels: string[];
  /**
   * Of those, the models whose recorded cost is $0 for requests or tokens: rows the ledger
   * could not price either, whose cost is unknown, not $0 (counted as $0 in `cost`).
   */
  unknownCostModels: string[];
  /** The requests of those models: the part of `requests` whose cost is unknown. */
  unknownRequests: number;
}

function priceWith(pricer: Pricer, slice: TokenSlice, at: Date): Dec | undefined {
  const tier = (SERVICE_TIERS as readonly string[]).includes(slice.service_tier ?? '') ? (slice.service_tier as ServiceTier) : undefined;
  const result = pricer.price({
    provider: slice.provider,
    model: slice.model,
    at,
    serviceTier: tier,
    region: slice.region ?? undefined,
    convention: LEDGER_CONVENTION,
    usage: {
      input: slice.input,
      output: slice.output,
      cacheRead: slice.cache_read,
      cacheWrite5m: slice.cache_write_5m,
      cacheWrite1h: slice.cache_write_1h,
      reasoning: slice.reasoning,
      inputAudio: slice.input_audio,
      inputImage: slice.input_image,
      outputAudio: slice.output_audio,
      outputImage: slice.output_image,
      requests: slice.requests,
      webSearches: slice.web_searches,
    },
  });
  return result.status === 'priced' ? result.cost : undefined;
}

/** Prices with one catalogue; a slice it cannot price keeps the cost the ledger recorded. */
export function catalogueSlicePricer(pricer: Pricer, label = 'current'): SlicePricer {
  return {
    label,
    catalogueVersion: pricer.catalogue.manifest.version,
    price(slice, at) {
      const cost = priceWith(pricer, slice, at);
      return cost === undefined ? { cost: dec(slice.recorded_cost_usd), how: 'recorded' } : { cost, how: 'priced' };
    },
  };
}

/** Prices with the baseline's snapshot, then the current catalogue, then the recorded cost. */
export function snapshotSlicePricer(snapshot: Pricer, current: Pricer, catalogueVersion: string): SlicePricer {
  return {
    label: 'baseline',
    catalogueVersion,
    price(slice, at) {
      const cost = sameEntry(snapshot, current, slice, at) ? priceWith(snapshot, slice, at) : undefined;
      if (cost !== undefined) return { cost, how: 'priced' };
      const now = priceWith(current, slice, at);
      return now === undefined ? { cost: dec(slice.recorded_cost_usd), how: 'recorded' } : { cost: now, how: 'fallback' };
    },
  };
}

/**
 * Whether the snapshot prices the slice's model as the entry the current catalogue knows it
 * by. Alone, the snapshot lets a family pattern capture ids the full catalogue prices apart:
 * a baseline on gpt-4o would price a run on gpt-4o-2024-05-13 ($5 input, not $2.50) as
 * gpt-4o, and a pricier model would pass as no change. A model the current catalogue no
 * longer knows has only the snapshot.
 */
function sameEntry(snapshot: Pricer, current: Pricer, slice: TokenSlice, at: Date): boolean {
  const query = { provider: slice.provider, model: slice.model, at };
  const now = resolveModel(current.catalogue, query);
  if (!isResolved(now)) return true;
  const then = resolveModel(snapshot.catalogue, query);
  return isResolved(then) && then.provider.provider === now.provider.provider && then.model.id === now.model.id;
}

/** The cost of a token mix. */
export function priceMix(pricer: SlicePricer, slices: readonly TokenSlice[], at: Date): MixCost {
  let cost = new Dec(0);
  let requests = 0;
  const fallback = new Set<string>();
  const unpriced = new Set<string>();
  const unknown = new Set<string>();
  let unknownRequests = 0;
  for (const s of slices) {
    const c = pricer.price(s, at);
    cost = cost.plus(c.cost);
    requests += s.requests;
    if (c.how === 'fallback') fallback.add(s.model);
    if (c.how === 'recorded') unpriced.add(s.model);
    if (c.how === 'recorded' && c.cost.isZero() && (s.requests > 0 || s.input + s.output > 0)) {
      unknown.add(s.model);
      unknownRequests += s.requests;
    }
  }
  return { cost, requests, fallbackModels: [...fallback].sort(), unpricedModels: [...unpriced].sort(), unknownCostModels: [...unknown].sort(), unknownRequests };
}

/** The catalogue entries of the models `slices` use, keyed `provider/model-id`, sorted. */
export function snapshotPrices(catalogue: PriceCatalogue, models: ReadonlyArray<{ provider: string; model: string }>, at: Date): Record<string, PriceSnapshot> {
  const out: Record<string, PriceSnapshot> = {};
  for (const { provider, model } of models) {
    const resolved = resolveModel(catalogue, { provider, model, at });
    if (!isResolved(resolved)) continue;
    const key = `${resolved.provider.provider}/${resolved.model.id}`;
    out[key] ??= {
      provider: resolved.provider.provider,
      usage_convention: resolved.model.usage_convention ?? resolved.provider.usage_convention,
      model: resolved.model,
      aliases: resolved.provider.aliases.filter((a) => a.target === resolved.model.id),
    };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A Pricer over the snapshot alone. The catalogue folder is a path that cannot exist
 * (it contains a NUL byte), so only the snapshot's entries are ever searched.
 */
export function pricerFromSnapshot(prices: Record<string, PriceSnapshot>, version: string, discounts: DiscountConfig[]): Pricer {
  const files = new Map<string, ProviderFile>();
  for (const snap of Object.values(prices)) {
    let file = files.get(snap.provider);
    if (!file) {
      file = {
        schema_version: 1,
        provider: snap.provider,
        name: snap.provider,
        currency: 'USD',
        unit: 'per_1m_tokens',
        usage_convention: snap.usage_convention,
        provider_aliases: [],
        sources: [{ name: 'llmfin baseline', version }],
        models: [],
        aliases: [],
      };
      files.set(snap.provider, file);
    }
    file.models.push({ ...snap.model, usage_convention: snap.model.usage_convention ?? snap.usage_convention });
    file.aliases.push(...snap.aliases);
  }
  const manifest: CatalogueManifest = { schema_version: 1, version, generated_at: '', providers: [...files.keys()], sources: [] };
  return new Pricer(new PriceCatalogue('\u0000llmfin-baseline-snapshot', manifest, [], [...files.values()]), { discounts });
}

/** A long-context threshold: a request's input above it (`gt`) or at least it (`gte`). */
export interface ContextThreshold {
  above: number;
  compare: 'gt' | 'gte';
}

/** How a run's requests are split at long-context thresholds. */
export interface LongContextSplit {
  /** Every threshold of the catalogue, sorted: the ledger's rows are summed between them. */
  thresholds: readonly ContextThreshold[];
  /** The threshold of its model's long-context tier the slice's requests are past, or null. */
  tierOf(slice: TokenSlice, at: Date): number | null;
  /** Whether the model has long-context prices at all. */
  tiered(slice: Pick<TokenSlice, 'provider' | 'model'>, at: Date): boolean;
}

/** Input tokens per request as the cost engine judges a tier: an aggregate's average, rounded up. */
export function inputPerRequest(slice: Pick<TokenSlice, 'input' | 'requests'>): number {
  return slice.requests > 1 ? Math.ceil(slice.input / slice.requests) : slice.input;
}

/**
 * The split at `catalogue`'s long-context thresholds. Rows are summed between every
 * threshold any model has, so each part lies on one side of each of its own model's; the
 * part then takes the threshold its model's tier starts at (null for a model without one).
 */
export function longContextSplit(catalogue: PriceCatalogue): LongContextSplit {
  const seen = new Map<string, ContextThreshold>();
  for (const file of catalogue.all()) {
    for (const model of file.models) {
      for (const offering of model.offerings) {
        for (const period of offering.periods) {
          for (const t of period.tiers ?? []) seen.set(`${t.above}\u0000${t.compare}`, { above: t.above, compare: t.compare });
        }
      }
    }
  }
  const thresholds = [...seen.values()].sort((a, b) => a.above - b.above || (a.compare < b.compare ? -1 : 1));
  const periodOf = (s: Pick<TokenSlice, 'provider' | 'model'>, at: Date) => {
    const resolved = resolveModel(catalogue, { provider: s.provider, model: s.model, at });
    return isResolved(resolved) ? findPeriod(resolved.offering, at) : undefined;
  };
  return {
    thresholds,
    tierOf(slice, at) {
      const period = periodOf(slice, at);
      if (!period || slice.requests === 0) return null;
      return findTier(period, inputPerRequest(slice))?.above ?? null;
    },
    tiered: (slice, at) => (periodOf(slice, at)?.tiers?.length ?? 0) > 0,
  };
}
