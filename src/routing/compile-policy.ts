/**
 * Compiles the `routing:` config into the structures `decide` reads without work:
 * tiers with their model pools per dialect (sorted cheapest first with the Pricer),
 * a model → tier map, rules with precompiled globs, and every default filled in.
 * Defaults live here, not in the zod schema, so that `routing: {}` stays "off".
 */
import type { RoutingConfig } from '../config/routing-config-schema.js';
import type { PriceCatalogue } from '../pricing/price-catalogue.js';
import type { Pricer } from '../pricing/pricer.js';
import { isResolved, resolveModel } from '../pricing/resolve-model.js';
import { didYouMean, suggestModels } from '../pricing/suggest-models.js';
import { RoutingPolicyError } from './routing-errors.js';

export const DIALECTS = ['openai', 'anthropic'] as const;
export type Dialect = (typeof DIALECTS)[number];
export type RoutingMode = 'off' | 'shadow' | 'enforce';

export interface PoolModel {
  model: string;
  /** The upstream name the model is served from; undefined = the dialect's default upstream. */
  upstream: string | undefined;
  /** Catalogue provider the model is priced under. */
  provider: string | undefined;
  /** USD per 1M tokens at a 3:1 input:output mix; Infinity when the catalogue does not know it. */
  blendedPrice: number;
  /** The catalogue's id for the model (`gpt-4o` for `gpt-4o-2024-08-06`), lower-cased; undefined when it does not know it. */
  catalogueId: string | undefined;
}

export interface CompiledTier {
  name: string;
  index: number;
  /** Predicted success with no evidence either way. */
  base: number;
  /** Cheapest first, per client dialect: only models whose upstream speaks that dialect. */
  pools: Record<Dialect, PoolModel[]>;
}

export interface CompiledRule {
  name: string;
  agent: RegExp | undefined;
  feature: RegExp | undefined;
  model: RegExp | undefined;
  minTier: number | undefined;
  maxTier: number | undefined;
  defaultTier: number | undefined;
  maxQualityLoss: number | undefined;
  minSuccess: number | undefined;
  mode: 'shadow' | 'enforce' | undefined;
}

export interface CompiledPolicy {
  enabled: boolean;
  mode: 'shadow' | 'enforce';
  tiers: CompiledTier[];
  /** Lower-cased model id → tier index (the first tier that lists it). */
  modelTier: Map<string, number>;
  /**
   * The catalogue's id of each listed model → tier index (the first tier that lists it), so
   * that a dated snapshot or alias a client asks for (`gpt-4o-2024-08-06`,
   * `claude-sonnet-4-5-20250929`) is in the tier of the model it is.
   */
  catalogueTier: Map<string, number>;
  defaultTier: number;
  maxQualityLoss: number;
  minSuccess: number;
  allowUpgrade: boolean;
  rules: CompiledRule[];
  stickiness: { enabled: boolean; ttlMs: number; maxTraces: number };
  escalation: { toolErrors: number; repeats: number; tiers: number };
  priors: { sinceDays: number; strength: number; minRequests: number };
  scanChars: number;
  /** What the policy may not do as written: models the catalogue cannot price (they sort last in their pool), a model in two tiers. */
  warnings: string[];
}

export const DEFAULTS = {
  maxQualityLoss: 0.1,
  minSuccess: 0,
  ttlSeconds: 3600,
  maxTraces: 10_000,
  toolErrors: 2,
  repeats: 3,
  escalateTiers: 1,
  sinceDays: 30,
  strength: 20,
  minRequests: 30,
  scanChars: 2048,
} as const;

/**
 * Base success per tier when the config gives none: 0.88 for the cheapest up to 0.96 for
 * the largest. With max_quality_loss 0.10 this kept >= 95% of the strong model's quality on
 * the GSM8K and MMLU tuning folds (scripts/eval-routing.mjs --dev).
 */
export function defaultBase(index: number, count: number): number {
  return count <= 1 ? 0.92 : 0.88 + (0.08 * index) / (count - 1);
}

/** What routing needs to know of an upstream: the dialect it speaks and how its models are priced. */
export interface UpstreamRef {
  dialect?: Dialect | undefined;
  provider?: string | undefined;
}

export function compilePolicy(routing: RoutingConfig, proxy: { upstreams?: Record<string, UpstreamRef> | undefined } | undefined, pricer: Pricer | undefined): CompiledPolicy {
  const tiersConfig = routing.tiers ?? [];
  const warnings: string[] = [];
  const upstreams = proxy?.upstreams ?? {};
  const modelTier = new Map<string, number>();
  const catalogueTier = new Map<string, number>();
  const listings = new Map<string, Listing>();
  const tiers: CompiledTier[] = tiersConfig.map((t, index) => {
    const pools: Record<Dialect, PoolModel[]> = { openai: [], anthropic: [] };
    for (const [key, models] of Object.entries(t.models)) {
      const upstream = upstreams[key];
      let dialect: Dialect;
      let provider: string | undefined;
      if (upstream) {
        dialect = upstream.dialect ?? 'openai';
        provider = upstream.provider ?? (pricer?.catalogue.canonicalProviderId(key) ? key : dialect === 'anthropic' ? 'anthropic' : undefined);
      } else if ((DIALECTS as readonly string[]).includes(key)) {
        dialect = key as Dialect;
        provider = key;
      } else {
        throw new RoutingPolicyError(`routing.tiers.${index}.models.${key}`, `expected an upstream name from proxy.upstreams (${Object.keys(upstreams).join(', ') || 'none defined'}) or openai / anthropic`, {
          hint: 'a pool names where its models are served; define the upstream under proxy.upstreams first',
        });
      }
      for (const model of models) {
        const where = upstream ? undefined : { tier: t.name, dialect };
        const catalogueId = pricer ? catalogueIdOf(pricer.catalogue, model, provider) : undefined;
        pools[dialect].push({ model, upstream: upstream ? key : undefined, provider, blendedPrice: blendedPrice(pricer, provider, model, warnings, where), catalogueId });
        if (!modelTier.has(model.toLowerCase())) modelTier.set(model.toLowerCase(), index);
        if (catalogueId !== undefined && !catalogueTier.has(catalogueId)) catalogueTier.set(catalogueId, index);
        noteListing(listings, dialect, catalogueId ?? model.toLowerCase(), model, t.name);
      }
    }
    for (const d of DIALECTS) pools[d].sort((a, b) => a.blendedPrice - b.blendedPrice);
    return { name: t.name, index, base: t.base_success ?? defaultBase(index, tiersConfig.length), pools };
  });
  warnings.push(...ambiguousListings(listings));
  // Base success must not fall as tiers get larger.
  for (let i = 1; i < tiers.length; i++) if (tiers[i]!.base < tiers[i - 1]!.base) tiers[i]!.base = tiers[i - 1]!.base;
  const tierIndex = (name: string | undefined): number | undefined => (name === undefined ? undefined : tiers.findIndex((t) => t.name === name));
  const rules = (routing.rules ?? []).map(
    (r, i): CompiledRule => ({
      name: r.name ?? `rules.${i}`,
      agent: r.match.agent === undefined ? undefined : globRegex(r.match.agent),
      feature: r.match.feature === undefined ? undefined : globRegex(r.match.feature),
      model: r.match.model === undefined ? undefined : globRegex(r.match.model),
      minTier: tierIndex(r.min_tier),
      maxTier: tierIndex(r.max_tier),
      defaultTier: tierIndex(r.default_tier),
      maxQualityLoss: r.max_quality_loss,
      minSuccess: r.min_success,
      mode: r.mode,
    }),
  );
  return {
    enabled: tiers.length > 0,
    mode: routing.mode ?? 'shadow',
    tiers,
    modelTier,
    catalogueTier,
    defaultTier: tierIndex(routing.default_tier) ?? Math.floor(tiers.length / 2),
    maxQualityLoss: routing.max_quality_loss ?? DEFAULTS.maxQualityLoss,
    minSuccess: routing.min_success ?? DEFAULTS.minSuccess,
    allowUpgrade: routing.allow_upgrade ?? false,
    rules,
    stickiness: {
      enabled: routing.stickiness?.enabled ?? true,
      ttlMs: (routing.stickiness?.ttl_seconds ?? DEFAULTS.ttlSeconds) * 1000,
      maxTraces: routing.stickiness?.max_traces ?? DEFAULTS.maxTraces,
    },
    escalation: {
      toolErrors: routing.escalation?.tool_errors ?? DEFAULTS.toolErrors,
      repeats: routing.escalation?.repeats ?? DEFAULTS.repeats,
      tiers: routing.escalation?.tiers ?? DEFAULTS.escalateTiers,
    },
    priors: {
      sinceDays: routing.priors?.since_days ?? DEFAULTS.sinceDays,
      strength: routing.priors?.strength ?? DEFAULTS.strength,
      minRequests: routing.priors?.min_requests ?? DEFAULTS.minRequests,
    },
    scanChars: routing.scan_chars ?? DEFAULTS.scanChars,
    // A model in two pools is priced, and found unpriced, once per pool: said once.
    warnings: [...new Set(warnings)],
  };
}

/** Where one model (by its catalogue id, else its name) is listed for one dialect's clients. */
interface Listing {
  dialect: Dialect;
  /** The model as each tier spells it (a dated snapshot is the model it is). */
  names: Set<string>;
  tiers: string[];
}

function noteListing(listings: Map<string, Listing>, dialect: Dialect, id: string, model: string, tier: string): void {
  const key = `${dialect}\u0000${id}`;
  const listing = listings.get(key) ?? { dialect, names: new Set<string>(), tiers: [] };
  listing.names.add(model);
  if (!listing.tiers.includes(tier)) listing.tiers.push(tier);
  listings.set(key, listing);
}

/**
 * A model in two tiers for the same clients is in neither for sure: a request for it is
 * taken as the first tier's (the tier it may be routed down from, and the one its savings
 * are counted from), while the later tier sends it requests routed up. Not an error: the
 * policy still runs, but its answers are not what a reader of it would expect.
 */
function ambiguousListings(listings: Map<string, Listing>): string[] {
  return [...listings.values()]
    .filter((l) => l.tiers.length > 1)
    .map((l) => {
      // Spelt alike, the first tier wins; a snapshot and its model each go to the tier that lists that spelling.
      const taken = l.names.size === 1 ? `: a request for it is taken as tier ${l.tiers[0]}, so what is routed and saved depends on the order of the tiers` : ': which tier a request for it is in, and so what is routed and saved, depends on how it is spelt';
      return `${[...l.names].join(' / ')} is listed in tiers ${l.tiers.join(', ')} for ${l.dialect}-dialect clients${taken}; list it in one tier`;
    });
}

/**
 * A model's price for 750k input + 250k output tokens, to order its pool. `builtin` is set
 * for a pool keyed `openai` / `anthropic` with no upstream of that name: its requests go to
 * that provider's own API, so a model the catalogue has only under a provider of the other
 * dialect (claude-… in an openai pool) would be asked of an API that does not serve it.
 */
function blendedPrice(pricer: Pricer | undefined, provider: string | undefined, model: string, warnings: string[], builtin?: { tier: string; dialect: Dialect }): number {
  if (!pricer) return 0;
  const r = pricer.price({ provider, model, usage: { input: 750_000, output: 250_000 }, at: new Date() });
  if (r.status === 'priced') return r.cost.toNumber();
  // The provider guess may be wrong for an OpenAI-compatible upstream; try the model alone.
  if (provider !== undefined) {
    const anyProvider = pricer.price({ model, usage: { input: 750_000, output: 250_000 }, at: new Date() });
    if (anyProvider.status === 'priced') {
      const native: Dialect = anyProvider.provider === 'anthropic' ? 'anthropic' : 'openai';
      if (builtin && native !== builtin.dialect) {
        warnings.push(
          `tier ${builtin.tier} lists ${model} under ${builtin.dialect}, but the catalogue has it under ${anyProvider.provider} (${native} dialect): ` +
            `${builtin.dialect}-dialect clients routed to it would ask the ${builtin.dialect} API for a model it does not serve; ` +
            `list it under ${native}, or under an upstream in proxy.upstreams that serves it`,
        );
      }
      return anyProvider.cost.toNumber();
    }
  }
  // A misspelt id (gpt-4o-mnii) is the likely cause: name the id it is a typo of, as pricing cost does.
  const close = didYouMean(suggestModels(pricer.catalogue, model, provider));
  warnings.push(`${model} is not in the price catalogue (${r.reason}${close === '' ? '' : `; ${close.trim()}`}); it is tried last in its pool and its savings cannot be priced`);
  return Number.POSITIVE_INFINITY;
}

/**
 * The catalogue's id of a model as a client or a pool names it: its dated snapshots and
 * aliases resolve to the model they are, as they do for pricing. Lower-cased; undefined
 * when the catalogue does not know the model.
 */
export function catalogueIdOf(catalogue: PriceCatalogue, model: string, provider?: string): string | undefined {
  const at = new Date();
  let r = resolveModel(catalogue, { provider, model, at });
  if (!isResolved(r) && provider !== undefined) r = resolveModel(catalogue, { model, at });
  return isResolved(r) ? r.model.id.toLowerCase() : undefined;
}

export function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}
