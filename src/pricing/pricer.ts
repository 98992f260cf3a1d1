/**
 * The pricing facade every other domain uses: id resolution, usage normalisation per
 * provider convention, the cost engine, and the user's overrides (discounts, custom and
 * self-hosted models). An unknown model is a result with a reason — never $0.
 */
import type { CustomModelConfig, DiscountConfig, SelfHostedModelConfig } from '../config/config-schema.js';
import type { Model, Offering, Period, ProviderFile, ServiceTier, Tier, UsageConvention } from './catalogue-schema.js';
import { activeWindows, findPeriod, periodRates, PricingError, priceUsage, tierFor, webSearchNote, type CostBreakdown } from './cost-engine.js';
import { integerCost, toIntegerRates, unitsToDecimalText, unitsToTicks, type IntegerRates } from './integer-rates.js';
import type { PriceCatalogue } from './price-catalogue.js';
import { isResolved, resolveModel, type ResolvedModel } from './resolve-model.js';
import { normaliseUsage, UsageInconsistencyError, type ReportedUsage, type TokenUsage } from './token-usage.js';
import { dec, usdToTicks, type Dec } from '../shared/money.js';
import { ownOptional, ownString } from '../shared/own-string.js';

export interface PriceRequest {
  provider?: string | undefined;
  model: string;
  usage: ReportedUsage;
  at: Date;
  serviceTier?: ServiceTier | undefined;
  region?: string | undefined;
  offering?: string | undefined;
  /** `usage.input` counts uncached input only, whatever the provider's convention (`--uncached-input`). */
  inputIsUncached?: boolean | undefined;
  /** The convention `usage` is in, when it is not the provider's (llmfin's own export format). */
  convention?: UsageConvention | undefined;
  /** All of it above the long-context threshold (a long-context bill line): see PriceOptions. */
  longContext?: boolean | undefined;
}

export interface PricedResult {
  status: 'priced';
  provider: string;
  model: string;
  matchedModel: string;
  offering: string;
  usage: TokenUsage;
  breakdown: CostBreakdown;
  /** Percentage discounts from the config that applied, as a negative amount. */
  discount: { percent: number; amount: Dec; rule: string } | null;
  cost: Dec;
  /**
   * Which price period was used: provider/model/offering/from (kept on ledger rows), with
   * `#long-context` when a long-context line was priced at its tier, so that a re-price
   * prices the row the same way (LONG_CONTEXT_REF).
   */
  priceRef: string;
  convention: UsageConvention;
}

export interface UnpricedResult {
  status: 'unpriced';
  provider: string | undefined;
  model: string;
  reason: string;
  /**
   * Why: no model matched (`model`), the model has no price for what was asked (`price`:
   * a service tier or period it lacks), or the token counts contradict the provider's
   * convention (`usage`: reasoning above output, input below its cached part).
   */
  cause: 'model' | 'price' | 'usage';
}

export type PriceResult = PricedResult | UnpricedResult;

/** What a ledger row keeps of a price: the cost as exact decimal text and as ticks. */
export interface ExactPricedResult {
  status: 'priced';
  provider: string;
  matchedModel: string;
  offering: string;
  usage: TokenUsage;
  priceRef: string;
  /** Exact USD as `Dec#toFixed()` writes it. */
  costUsd: string;
  /** The cost in ticks (1e-10 USD), rounded half-even as `usdToTicks` does. */
  costTicks: bigint;
  /** Web searches left out of the cost because the model has no web_search rate (the engine's note). */
  unpricedSearches: number;
}

export type ExactPriceResult = ExactPricedResult | UnpricedResult;

/** One period's rates under one tier and set of modifiers, in integers (undefined: price with decimals). */
interface IntegerPlan {
  model: Model;
  offering: Offering;
  rates: IntegerRates | undefined;
  priceRef: string;
}

/** What chose a period's last integer plan (Pricer.integerPlans). */
interface LastPlan {
  tier: Tier | null;
  serviceTier: ServiceTier | undefined;
  region: string | undefined;
  /** The resolution's own array (compared by identity), when the row gives no region. */
  impliedRegions: readonly string[] | undefined;
  windows: number;
  longContext: boolean;
  plan: IntegerPlan;
}

interface PeriodPlans {
  last: LastPlan | undefined;
  byKey: Map<string, IntegerPlan>;
}

/** Resolutions compared field by field before the map (Pricer.recent). */
const RECENT_RESOLUTIONS = 8;

/** Web searches a price left out of its cost because the model has no web_search rate. */
function unpricedSearchesOf(r: PricedResult): number {
  return r.breakdown.components.web_search === undefined ? r.usage.webSearches : 0;
}

/** The note naming a price's unpriced web searches (webSearchNote), or null when there are none. */
export function unpricedSearchNote(r: PricedResult): string | null {
  const searches = unpricedSearchesOf(r);
  return searches > 0 ? webSearchNote(r.matchedModel, searches) : null;
}

/** The `price_ref` suffix of a row priced as a long-context line (PriceRequest.longContext). */
export const LONG_CONTEXT_REF = '#long-context';

export interface PricingOverrides {
  discounts: DiscountConfig[];
}

export class Pricer {
  readonly catalogue: PriceCatalogue;
  private readonly discounts: DiscountConfig[];

  constructor(catalogue: PriceCatalogue, overrides: PricingOverrides = { discounts: [] }) {
    this.catalogue = catalogue;
    this.discounts = overrides.discounts;
  }

  /**
   * Resolutions by (provider, model, offering): an import prices the same few models a
   * million times. Alias matches depend on the date and are never cached.
   */
  private readonly resolutions = new Map<string, ReturnType<typeof resolveModel>>();

  /**
   * The last few resolutions, compared field by field before the map is asked: a file's
   * rows cycle through a handful of models, and building and hashing the map's key for
   * every row cost more than finding it.
   */
  private readonly recent: Array<{ provider: string | undefined; model: string; offering: string | undefined; resolved: ReturnType<typeof resolveModel> }> = [];
  private recentNext = 0;

  private resolve(request: PriceRequest): ReturnType<typeof resolveModel> {
    for (let i = 0; i < this.recent.length; i++) {
      const r = this.recent[i]!;
      if (r.model === request.model && r.provider === request.provider && r.offering === request.offering) return r.resolved;
    }
    const key = `${request.provider ?? ''}\u0000${request.model}\u0000${request.offering ?? ''}`;
    let resolved = this.resolutions.get(key);
    if (resolved === undefined) {
      resolved = resolveModel(this.catalogue, { provider: request.provider, model: request.model, at: request.at, offering: request.offering });
      // Alias matches depend on the date: never cached.
      if (isResolved(resolved) && resolved.matchedBy === 'alias') return resolved;
      if (this.resolutions.size > 10_000) this.resolutions.clear();
      // Own copy: the model name may be a slice of a whole block of an imported file.
      this.resolutions.set(ownString(key), resolved);
    }
    this.recent[this.recentNext] = { provider: ownOptional(request.provider), model: ownString(request.model), offering: ownOptional(request.offering), resolved };
    this.recentNext = (this.recentNext + 1) % RECENT_RESOLUTIONS;
    return resolved;
  }

  /**
   * Integer rate plans per catalogue period, by tier, service tier, region and time
   * windows; and each period's last plan with what chose it, compared field by field
   * before a key is built (the usual row asks for the plan the period's last row did).
   */
  private readonly integerPlans = new WeakMap<Period, PeriodPlans>();

  /**
   * `price` for bulk pricing (imports): only what a ledger row keeps, with the cost as
   * exact decimal text and ticks. The usual row is priced in integers from a rate plan
   * cached per period (integer-rates.ts), to the same text and ticks as `price`; rows it
   * cannot price so (discounts configured, rates with many decimals, huge token counts,
   * unpriced rows) go through `price` itself.
   */
  priceExact(request: PriceRequest): ExactPriceResult {
    const fast = this.discounts.length === 0 && !request.inputIsUncached ? this.priceInIntegers(request) : undefined;
    if (fast !== undefined) return fast;
    const r = this.price(request);
    if (r.status === 'unpriced') return r;
    return { status: 'priced', provider: r.provider, matchedModel: r.matchedModel, offering: r.offering, usage: r.usage, priceRef: r.priceRef, costUsd: r.cost.toFixed(), costTicks: usdToTicks(r.cost), unpricedSearches: unpricedSearchesOf(r) };
  }

  private priceInIntegers(request: PriceRequest): ExactPricedResult | undefined {
    const resolved = this.resolve(request);
    if (!isResolved(resolved)) return undefined;
    const convention = request.convention ?? resolved.model.usage_convention ?? resolved.provider.usage_convention;
    let usage: TokenUsage;
    try {
      usage = normaliseUsage(request.usage, convention);
    } catch {
      return undefined;
    }
    const period = findPeriod(resolved.offering, request.at);
    if (period === undefined) return undefined;
    const tier = tierFor(period, usage, request.longContext);
    const longContext = request.longContext === true && tier !== null;
    const windows = period.time_windows === undefined ? 0 : activeWindows(period, request.at);
    const impliedRegions = request.region === undefined && resolved.impliedRegions.length > 0 ? resolved.impliedRegions : undefined;
    let plans = this.integerPlans.get(period);
    if (plans === undefined) this.integerPlans.set(period, (plans = { last: undefined, byKey: new Map() }));
    // The period's last plan when the row asks for the same one (the usual row): no key to build and hash.
    const last = plans.last;
    let plan =
      last !== undefined && last.tier === tier && last.serviceTier === request.serviceTier && last.region === request.region && last.impliedRegions === impliedRegions &&
      last.windows === windows && last.longContext === longContext && last.plan.model === resolved.model && last.plan.offering === resolved.offering
        ? last.plan
        : undefined;
    if (plan === undefined) {
      const key = `${tier === null ? -1 : period.tiers!.indexOf(tier)}|${request.serviceTier ?? ''}|${request.region ?? ''}|${impliedRegions?.join(',') ?? ''}|${windows}|${longContext ? 1 : 0}`;
      plan = plans.byKey.get(key);
      // A period belongs to one model's offering; the check guards catalogues built by hand.
      if (plan === undefined || plan.model !== resolved.model || plan.offering !== resolved.offering) {
        plan = this.integerPlan(resolved, period, tier, request, longContext);
        if (plans.byKey.size > 1000) plans.byKey.clear();
        plans.byKey.set(ownString(key), plan);
      }
      plans.last = { tier, serviceTier: request.serviceTier, region: ownOptional(request.region), impliedRegions, windows, longContext, plan };
    }
    if (plan.rates === undefined) return undefined;
    const units = integerCost(plan.rates, usage);
    if (units === undefined) return undefined;
    const decimals = plan.rates.scale + 6;
    return {
      status: 'priced',
      provider: resolved.provider.provider,
      matchedModel: resolved.model.id,
      offering: resolved.offering.scope,
      usage,
      priceRef: plan.priceRef,
      costUsd: unitsToDecimalText(units, decimals),
      costTicks: unitsToTicks(units, decimals),
      unpricedSearches: plan.rates.webSearch === undefined ? usage.webSearches : 0,
    };
  }

  /** The integer rate plan of one period under one tier, service tier, region and time windows. */
  private integerPlan(resolved: ResolvedModel, period: Period, tier: Tier | null, request: PriceRequest, longContext: boolean): IntegerPlan {
    let rates: IntegerRates | undefined;
    try {
      rates = toIntegerRates(
        periodRates(period, tier, { at: request.at, serviceTier: request.serviceTier, region: request.region, impliedRegions: resolved.impliedRegions, longContext: request.longContext }).rates,
      );
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      rates = undefined;
    }
    const providerId = resolved.provider.provider;
    return {
      model: resolved.model,
      offering: resolved.offering,
      rates,
      priceRef: `${providerId}/${resolved.model.id}/${resolved.offering.scope}/${period.from ?? 'start'}${longContext ? LONG_CONTEXT_REF : ''}`,
    };
  }

  price(request: PriceRequest): PriceResult {
    const resolved = this.resolve(request);
    if (!isResolved(resolved)) return { status: 'unpriced', provider: resolved.provider, model: request.model, reason: resolved.reason, cause: 'model' };

    const convention = request.convention ?? resolved.model.usage_convention ?? resolved.provider.usage_convention;
    let reported = request.usage;
    if (request.inputIsUncached && convention.input_includes_cache) {
      const cached = (reported.cacheRead ?? 0) + (reported.cacheWrite5m ?? 0) + (reported.cacheWrite1h ?? 0);
      reported = { ...reported, input: reported.input + cached };
    }
    let usage: TokenUsage;
    try {
      usage = normaliseUsage(reported, convention);
    } catch (error) {
      if (error instanceof UsageInconsistencyError) {
        return { status: 'unpriced', provider: resolved.provider.provider, model: request.model, reason: error.message, cause: 'usage' };
      }
      throw error;
    }
    let breakdown: CostBreakdown;
    try {
      breakdown = priceUsage(resolved.offering, usage, {
        at: request.at,
        serviceTier: request.serviceTier,
        region: request.region,
        impliedRegions: resolved.impliedRegions,
        longContext: request.longContext,
      });
    } catch (error) {
      if (error instanceof PricingError) {
        return { status: 'unpriced', provider: resolved.provider.provider, model: request.model, reason: `${resolved.model.id}: ${error.message}`, cause: 'price' };
      }
      throw error;
    }
    const providerId = resolved.provider.provider;
    const discount = this.discountFor(providerId, resolved.model.id, request.model, request.at, breakdown.cost);
    const cost = discount ? breakdown.cost.minus(discount.amount) : breakdown.cost;
    return {
      status: 'priced',
      provider: providerId,
      model: request.model,
      matchedModel: resolved.model.id,
      offering: resolved.offering.scope,
      usage,
      breakdown,
      discount,
      cost,
      priceRef: `${providerId}/${resolved.model.id}/${resolved.offering.scope}/${breakdown.period.from ?? 'start'}${request.longContext && breakdown.tier !== null ? LONG_CONTEXT_REF : ''}`,
      convention,
    };
  }

  private discountFor(provider: string, matched: string, raw: string, at: Date, cost: Dec): PricedResult['discount'] {
    const t = at.getTime();
    for (const d of this.discounts) {
      if (this.catalogue.canonicalProviderId(d.provider) !== provider && d.provider.toLowerCase() !== provider) continue;
      if (d.model !== undefined && !globMatch(d.model, matched) && !globMatch(d.model, raw)) continue;
      if (d.from !== undefined && t < Date.parse(d.from)) continue;
      if (d.to !== undefined && t >= Date.parse(d.to)) continue;
      return {
        percent: d.percent,
        amount: cost.times(dec(d.percent)).div(100),
        rule: `${d.provider}${d.model ? `/${d.model}` : ''} -${d.percent}%`,
      };
    }
    return null;
  }
}

export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(value.toLowerCase());
}

/**
 * Turns `pricing.custom_models` and `pricing.self_hosted` from the config into provider
 * files that the catalogue searches before the public ones.
 */
export function configModelsToProviderFiles(custom: CustomModelConfig[], selfHosted: SelfHostedModelConfig[]): ProviderFile[] {
  const byProvider = new Map<string, ProviderFile>();
  const fileFor = (provider: string, convention: UsageConvention): ProviderFile => {
    let f = byProvider.get(provider);
    if (!f) {
      f = {
        schema_version: 1,
        provider: provider.toLowerCase(),
        name: provider,
        currency: 'USD',
        unit: 'per_1m_tokens',
        usage_convention: convention,
        provider_aliases: [],
        sources: [{ name: 'llmfin.yaml', version: 'config' }],
        models: [],
        aliases: [],
      };
      byProvider.set(provider, f);
    }
    return f;
  };
  const model = (id: string, match: string[], offering: Offering, convention: UsageConvention): Model => ({
    id,
    kind: 'chat',
    match: { exact: [id, ...match.filter((m) => !m.includes('*'))], regex: match.filter((m) => m.includes('*')).map(globToRegex) },
    usage_convention: convention,
    offerings: [offering],
  });

  for (const c of custom) {
    const convention = { input_includes_cache: c.input_includes_cache, output_includes_reasoning: true };
    const rates: Offering['periods'][number]['rates'] = { input: c.input, output: c.output };
    if (c.cache_read) rates.cache_read = c.cache_read;
    if (c.cache_write_5m) rates.cache_write_5m = c.cache_write_5m;
    if (c.cache_write_1h) rates.cache_write_1h = c.cache_write_1h;
    if (c.per_request) rates.per_request = c.per_request;
    if (c.web_search) rates.web_search = c.web_search;
    fileFor(c.provider, convention).models.push(
      model(c.id, c.match, { scope: 'default', periods: [{ from: null, to: null, rates, source: 'llmfin.yaml:pricing.custom_models' }] }, convention),
    );
  }
  for (const s of selfHosted) {
    const convention = { input_includes_cache: true, output_includes_reasoning: true };
    // $/token = GPU $/s ÷ tokens/s; kept to 20 significant digits (the quotient rarely terminates).
    const perSecond = dec(s.gpu_usd_per_hour).times(s.gpus).div(3600);
    const perMillion = (tps: number) => perSecond.div(tps).times(1_000_000).toSignificantDigits(20).toFixed();
    const inTps = s.input_tokens_per_second ?? s.tokens_per_second!;
    const outTps = s.output_tokens_per_second ?? s.tokens_per_second!;
    fileFor(s.provider, convention).models.push(
      model(
        s.id,
        s.match,
        {
          scope: 'default',
          periods: [{ from: null, to: null, rates: { input: perMillion(inTps), output: perMillion(outTps) }, source: 'llmfin.yaml:pricing.self_hosted' }],
        },
        convention,
      ),
    );
  }
  return [...byProvider.values()];
}

function globToRegex(glob: string): string {
  return `^${glob.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`;
}

