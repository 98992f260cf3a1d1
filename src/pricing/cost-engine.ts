/**
 * The cost engine: prices one normalised usage against one catalogue offering at one
 * moment. Exact decimals throughout; each token bucket priced once; the long-context
 * tier reprices the whole request; modifiers apply in a fixed order
 * (tier → service tier → geo → time of day), pricing.md §8.
 */
import type { Modifier, Offering, PartialRates, Period, RateComponent, Rates, ServiceTier, Tier } from './catalogue-schema.js';
import { totalInputTokens, type TokenUsage } from './token-usage.js';
import { Dec, dec } from '../shared/money.js';

export interface PriceOptions {
  at: Date;
  serviceTier?: ServiceTier | undefined;
  /** Geo / data-residency key ("us", "eu") looked up in the period's `geo` modifiers. */
  region?: string | undefined;
  /**
   * Geo keys implied by the model id (Bedrock `eu.` profile, source region); the first
   * one the period prices is applied when no `region` is given. Silent when none is.
   */
  impliedRegions?: readonly string[] | undefined;
  /**
   * Every request of this usage is known to be above the long-context threshold (a bill
   * line of a long-context SKU or band, which does not say per-request sizes): priced at
   * the first long-context tier instead of judged by its average request.
   */
  longContext?: boolean | undefined;
}

export interface CostComponent {
  tokens: number;
  /** USD per 1M tokens (per request for `per_request`, per search for `web_search`), after tier and modifiers. */
  rate: Dec;
  cost: Dec;
}

export interface CostBreakdown {
  cost: Dec;
  components: Partial<Record<CostComponentName, CostComponent>>;
  tier: Tier | null;
  period: Period;
  serviceTier: ServiceTier;
  /** Modifiers that changed the rates, in the order applied ("service_tier:batch", "geo:us"). */
  applied: string[];
  /** Things the user should know: a fallback rate used, a region without uplift. */
  notes: string[];
}

export type CostComponentName =
  | 'input'
  | 'cache_read'
  | 'cache_write_5m'
  | 'cache_write_1h'
  | 'input_audio'
  | 'input_image'
  | 'output'
  | 'reasoning'
  | 'output_audio'
  | 'output_image'
  | 'per_request'
  | 'web_search';

/**
 * The components priced per unit rather than per 1M tokens, each with its unit: fees, not
 * token prices. (Here, not in catalogue-schema.ts: the proxy prices with this module and
 * does not load zod.)
 */
export const PER_UNIT_COMPONENTS: Readonly<Partial<Record<string, string>>> = { per_request: 'request', web_search: 'search' };

/** What a price says of web searches left out of it because `model` has no web_search rate (a note, a row's description). */
export function webSearchNote(model: string, searches: number): string {
  return `no web_search price for ${model}; ${searches} web search${searches === 1 ? '' : 'es'} not priced`;
}

/** Why an offering could not price a usage. */
export class PricingError extends Error {
  override readonly name = 'PricingError';
}

const MILLION = new Dec(1_000_000);

/** Period bounds as epoch ms, per catalogue object: an import asks for them once per row. */
const periodBounds = new WeakMap<Period, { fromText: string | null; toText: string | null; from: number; to: number }>();

function boundsOf(p: Period): { from: number; to: number } {
  let b = periodBounds.get(p);
  // Checked against the text, in case a period is edited after use (the seed's corrections do).
  if (b === undefined || b.fromText !== p.from || b.toText !== p.to) {
    b = { fromText: p.from, toText: p.to, from: p.from === null ? -Infinity : Date.parse(p.from), to: p.to === null ? Infinity : Date.parse(p.to) };
    periodBounds.set(p, b);
  }
  return b;
}

/** Whether `at` falls in the period's `[from, to)`. */
export function periodContains(period: Period, at: Date): boolean {
  const t = at.getTime();
  const b = boundsOf(period);
  return t >= b.from && t < b.to;
}

/** The period whose `[from, to)` contains `at`. */
export function findPeriod(offering: Offering, at: Date): Period | undefined {
  return offering.periods.find((p) => periodContains(p, at));
}

/** The highest tier whose threshold the request's total input crosses. */
export function findTier(period: Period, totalInput: number): Tier | null {
  let chosen: Tier | null = null;
  for (const tier of period.tiers ?? []) {
    const crosses = tier.compare === 'gte' ? totalInput >= tier.above : totalInput > tier.above;
    if (crosses && (chosen === null || tier.above > chosen.above)) chosen = tier;
  }
  return chosen;
}

export type RateSet = Partial<Record<RateComponent, Dec>>;

/**
 * Where a component without its own price is billed: at the rate of the component named
 * (a cache write without its own price is plain input, as at OpenAI before GPT-5.6; a
 * 1-hour write without one costs what a 5-minute write does).
 */
export const RATE_FALLBACK = {
  cache_read: 'input',
  cache_write_5m: 'input',
  cache_write_1h: 'cache_write_5m',
  input_audio: 'input',
  input_image: 'input',
  output_audio: 'output',
  output_image: 'output',
} as const satisfies Partial<Record<RateComponent, RateComponent>>;

/** The component whose rate `component` is billed at: itself, else its fallback (RATE_FALLBACK, followed to input or output). */
function billedAs(rates: RateSet, component: RateComponent): RateComponent | undefined {
  let c: RateComponent | undefined = component;
  while (c !== undefined) {
    if (rates[c] !== undefined) return c;
    c = (RATE_FALLBACK as Partial<Record<RateComponent, RateComponent>>)[c];
  }
  return undefined;
}

/** The rate `component` is billed at: its own, else its fallback's (RATE_FALLBACK, followed to input or output). */
export function effectiveRate(rates: RateSet, component: RateComponent): Dec | undefined {
  const c = billedAs(rates, component);
  return c === undefined ? undefined : rates[c];
}

/** Parsed rate sets, per catalogue object: parsing decimals dominated bulk pricing. */
const parsedRates = new WeakMap<Rates | PartialRates, RateSet>();

function toRateSet(rates: Rates | PartialRates): RateSet {
  const cached = parsedRates.get(rates);
  if (cached) return { ...cached };
  const out: RateSet = {};
  for (const [k, v] of Object.entries(rates)) if (v !== undefined) out[k as RateComponent] = dec(v);
  parsedRates.set(rates, out);
  return { ...out };
}

/**
 * Components a modifier's `multiply` leaves alone: a web search is a fee per search, and
 * the discounts and uplifts that multiply (batch −50%, US-only inference +10%, off-peak)
 * are on tokens. A modifier that does change it lists it in `rates`.
 */
const NOT_MULTIPLIED: ReadonlySet<RateComponent> = new Set(['web_search']);

/**
 * Applies one modifier to `rates`, the period's `base` rates after the tier and the
 * modifiers before this one. A modifier's explicit rates are prices at the base rates (a
 * region's own list price, a tier's price set that is not one multiple of standard), so
 * what changed a component before it carries over: under a long-context tier that doubles
 * input, us-gov's input 3.6 becomes 7.2, rather than the tier being lost.
 */
function applyModifier(rates: RateSet, modifier: Modifier, base: RateSet): RateSet {
  const factor = modifier.multiply === undefined ? null : dec(modifier.multiply);
  const out: RateSet = {};
  for (const [k, v] of Object.entries(rates) as Array<[RateComponent, Dec]>) out[k] = factor && !NOT_MULTIPLIED.has(k) ? v.times(factor) : v;
  for (const [k, v] of Object.entries(modifier.rates ?? {}) as Array<[RateComponent, string | undefined]>) {
    if (v === undefined) continue;
    const now = rates[k];
    const was = base[k];
    out[k] = now !== undefined && was !== undefined && !was.isZero() && !now.equals(was) ? dec(v).times(now).div(was) : dec(v);
  }
  return out;
}

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function inWindow(at: Date, start: string, end: string): boolean {
  const now = at.getUTCHours() * 60 + at.getUTCMinutes();
  const s = minutesOfDay(start);
  const e = minutesOfDay(end);
  return s <= e ? now >= s && now < e : now >= s || now < e;
}

/**
 * The tier a usage is priced at in `period`. A tier is a property of one request. An
 * aggregated row (a day of usage) is judged by its average request: a day of 200 small
 * requests is not one long-context request. A bill line that does not count requests
 * (requests 0) cannot tell long-context requests from short ones: it is estimated at
 * base rates and says so.
 */
export function tierFor(period: Period, usage: TokenUsage, longContext: boolean | undefined, notes?: string[]): Tier | null {
  const tiers = period.tiers ?? [];
  if (longContext) {
    // The lowest threshold is where long-context pricing starts (most models have one tier).
    const tier = tiers.reduce<Tier | null>((low, t) => (low === null || t.above < low.above ? t : low), null);
    if (tier === null) notes?.push('long-context line, but this model has no long-context price: base rates');
    return tier;
  }
  if (usage.requests === 0) {
    if (tiers.length > 0) notes?.push('request count unknown: long-context tier not applied');
    return null;
  }
  const perRequestInput = usage.requests > 1 ? Math.ceil(totalInputTokens(usage) / usage.requests) : totalInputTokens(usage);
  return findTier(period, perRequestInput);
}

/** The rates of one period after its tier and modifiers, and what changed them. */
export interface PeriodRates {
  rates: RateSet;
  applied: string[];
  notes: string[];
}

/** The note for a --region the period has no uplift for (a caller may word it better). */
export function noUpliftNote(region: string): string {
  return `no price uplift for region "${region}" on this model`;
}

/**
 * Applies the modifiers in their fixed order (tier → service tier → geo → time of day)
 * to a period's rates; throws `PricingError` when a service tier has no price. Depends
 * only on the period, the tier and the options, so bulk pricing can reuse its result.
 */
export function periodRates(period: Period, tier: Tier | null, options: PriceOptions): PeriodRates {
  const notes: string[] = [];
  const applied: string[] = [];
  const base = toRateSet(period.rates);
  let rates = base;
  if (tier) {
    rates = { ...rates, ...toRateSet(tier.rates) };
    applied.push(`tier:>${tier.compare === 'gte' ? '=' : ''}${tier.above}`);
  }

  const serviceTier = options.serviceTier ?? 'standard';
  if (serviceTier !== 'standard') {
    const modifier = period.service_tiers?.[serviceTier];
    if (!modifier) throw new PricingError(`no "${serviceTier}" service-tier price for this model`);
    rates = applyModifier(rates, modifier, base);
    applied.push(`service_tier:${serviceTier}`);
  }

  if (options.region !== undefined) {
    const modifier = period.geo?.[options.region.toLowerCase()];
    if (modifier) {
      rates = applyModifier(rates, modifier, base);
      applied.push(`geo:${options.region.toLowerCase()}`);
    } else {
      notes.push(noUpliftNote(options.region));
    }
  } else {
    const key = options.impliedRegions?.find((r) => period.geo?.[r] !== undefined);
    if (key !== undefined) {
      rates = applyModifier(rates, period.geo![key]!, base);
      applied.push(`geo:${key}`);
    }
  }

  for (const w of period.time_windows ?? []) {
    if (inWindow(options.at, w.start, w.end)) {
      rates = applyModifier(rates, w.modifier, base);
      applied.push(`window:${w.start}-${w.end}`);
    }
  }
  return { rates, applied, notes };
}

/** Which of a period's time windows `at` falls in, one bit each: the windows' part of `periodRates`. */
export function activeWindows(period: Period, at: Date): number {
  let mask = 0;
  const windows = period.time_windows ?? [];
  for (let i = 0; i < windows.length; i++) if (inWindow(at, windows[i]!.start, windows[i]!.end)) mask |= 1 << i;
  return mask;
}

/** Prices a normalised usage against an offering; throws `PricingError` when it cannot. */
export function priceUsage(offering: Offering, usage: TokenUsage, options: PriceOptions): CostBreakdown {
  const period = findPeriod(offering, options.at);
  if (!period) {
    throw new PricingError(`no price period covers ${options.at.toISOString()}`);
  }
  const tierNotes: string[] = [];
  const tier = tierFor(period, usage, options.longContext, tierNotes);
  const planned = periodRates(period, tier, options);
  const rates = planned.rates;
  const applied = planned.applied;
  const notes = [...tierNotes, ...planned.notes];
  const serviceTier = options.serviceTier ?? 'standard';

  const input = rates.input!;
  const output = rates.output!;
  const fallback = (component: keyof typeof RATE_FALLBACK, tokens: number): Dec => {
    // The note names the rate actually used: the fallback may itself fall back (1h → 5m → input).
    const used = billedAs(rates, component)!;
    if (used !== component && tokens > 0) notes.push(`no ${component} price; ${tokens} tokens billed at the ${used} rate`);
    return rates[used]!;
  };

  const components: CostBreakdown['components'] = {};
  const add = (name: CostComponentName, tokens: number, rate: Dec) => {
    if (tokens === 0) return;
    const cost = PER_UNIT_COMPONENTS[name] !== undefined ? rate.times(tokens) : rate.times(tokens).div(MILLION);
    components[name] = { tokens, rate, cost };
  };

  add('input', usage.uncachedInput, input);
  add('cache_read', usage.cacheRead, fallback('cache_read', usage.cacheRead));
  add('cache_write_5m', usage.cacheWrite5m, fallback('cache_write_5m', usage.cacheWrite5m));
  add('cache_write_1h', usage.cacheWrite1h, fallback('cache_write_1h', usage.cacheWrite1h));
  add('input_audio', usage.inputAudio, fallback('input_audio', usage.inputAudio));
  add('input_image', usage.inputImage, fallback('input_image', usage.inputImage));

  // Reasoning is inside output; it gets its own line only when it has its own rate.
  const reasoningRate = rates.reasoning;
  if (reasoningRate !== undefined && usage.reasoning > 0) {
    add('output', usage.output - usage.reasoning, output);
    add('reasoning', usage.reasoning, reasoningRate);
  } else {
    add('output', usage.output, output);
  }
  add('output_audio', usage.outputAudio, fallback('output_audio', usage.outputAudio));
  add('output_image', usage.outputImage, fallback('output_image', usage.outputImage));
  if (rates.per_request !== undefined) add('per_request', usage.requests, rates.per_request);
  if (usage.webSearches > 0) {
    // Searches without a price are named, not dropped silently: the tokens are still priced.
    if (rates.web_search !== undefined) add('web_search', usage.webSearches, rates.web_search);
    else notes.push(webSearchNote('this model', usage.webSearches));
  }

  let cost = new Dec(0);
  for (const c of Object.values(components)) cost = cost.plus(c.cost);
  return { cost, components, tier, period, serviceTier, applied, notes };
}
