/**
 * The shape of one provider file in `pricing/` (e.g. `pricing/anthropic.json`).
 * This zod schema is the single truth for the catalogue format: the seed script
 * writes it, the loader validates it, the cost engine reads it.
 *
 * Prices are decimal strings in USD per 1M tokens (per request for `per_request`, per
 * search for `web_search`), never floats: `1.375` must stay `1.375` (pricing.md §8.2).
 */
import { z } from 'zod';

/** A non-negative decimal string such as "3", "0.30", "0.003625". */
export const decimalString = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal string such as "0.30"');

/** An ISO 8601 UTC instant ("2026-07-30T00:00:00Z") or date ("2026-07-30", read as midnight UTC). */
export const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/, 'expected an ISO date or UTC time');

/**
 * The billable components. Every token bucket is priced exactly once:
 * `input` is uncached input only; cache reads and writes have their own rates;
 * `reasoning` defaults to `output` when absent. `per_request` is USD per request and
 * `web_search` USD per server-side web search (Anthropic's `server_tool_use`, $10 per
 * 1,000 searches): fees, not token prices.
 */
export const RATE_COMPONENTS = [
  'input',
  'output',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'reasoning',
  'input_audio',
  'output_audio',
  'input_image',
  'output_image',
  'per_request',
  'web_search',
] as const;
export type RateComponent = (typeof RATE_COMPONENTS)[number];

const rateShape = Object.fromEntries(RATE_COMPONENTS.map((c) => [c, decimalString.optional()])) as Record<
  RateComponent,
  z.ZodOptional<typeof decimalString>
>;

/** Base rates: input and output are required, the rest fall back as the engine documents. */
export const Rates = z
  .object({ ...rateShape, input: decimalString, output: decimalString })
  .strict();
export type Rates = z.infer<typeof Rates>;

export const PartialRates = z.object(rateShape).strict();
export type PartialRates = z.infer<typeof PartialRates>;

/**
 * A modifier changes a rate set: components listed in `rates` are replaced, every
 * other component is multiplied by `multiply` (default 1). Batch on most providers is
 * `{ multiply: "0.5" }`; OpenAI priority is explicit `rates`.
 */
export const Modifier = z
  .object({ multiply: decimalString.optional(), rates: PartialRates.optional() })
  .strict()
  .refine((m) => m.multiply !== undefined || m.rates !== undefined, 'a modifier needs multiply or rates');
export type Modifier = z.infer<typeof Modifier>;

/**
 * A long-context tier. When the request's total input (uncached + cache read + cache
 * writes) is above `above` (`gt`, the default) or at least `above` (`gte`, xAI), the
 * tier's rates replace the base rates for the whole request, not just the excess
 * (pricing.md §3.2, bug #7). Components the tier omits keep their base rate.
 */
export const Tier = z
  .object({
    above: z.number().int().positive(),
    compare: z.enum(['gt', 'gte']).default('gt'),
    rates: PartialRates,
  })
  .strict();
export type Tier = z.infer<typeof Tier>;

/** A window of the day (UTC, "HH:MM", end exclusive, may wrap midnight) with its own modifier. */
export const TimeWindow = z
  .object({
    start: z.string().regex(/^\d{2}:\d{2}$/),
    end: z.string().regex(/^\d{2}:\d{2}$/),
    modifier: Modifier,
  })
  .strict();
export type TimeWindow = z.infer<typeof TimeWindow>;

export { SERVICE_TIERS, type ServiceTier } from './service-tiers.js';

/** One price period `[from, to)`; `from: null` is "since the beginning", `to: null` "until further notice". */
export const Period = z
  .object({
    from: isoInstant.nullable(),
    to: isoInstant.nullable(),
    rates: Rates,
    tiers: z.array(Tier).optional(),
    /** Service-tier modifiers applied after the long-context tier. `standard` is never listed. */
    service_tiers: z
      .object({
        batch: Modifier.optional(),
        flex: Modifier.optional(),
        priority: Modifier.optional(),
        fast: Modifier.optional(),
      })
      .strict()
      .optional(),
    /** Geo / data-residency modifiers keyed by the `--region` value they answer to ("us", "eu"). */
    geo: z.record(z.string(), Modifier).optional(),
    /** Time-of-day windows (DeepSeek off-peak), applied last. */
    time_windows: z.array(TimeWindow).optional(),
    /** Where the numbers came from: dataset name and key, or a URL. */
    source: z.string(),
  })
  .strict();
export type Period = z.infer<typeof Period>;

/**
 * Who serves the model where: `default` for a provider's own API, `global` and
 * `regional` for Bedrock cross-region profiles, `global`/`data-zone`/`regional` for Azure.
 */
export const Offering = z
  .object({
    scope: z.string().min(1),
    periods: z.array(Period).min(1),
  })
  .strict();
export type Offering = z.infer<typeof Offering>;

/** How a provider reports usage, so that each token is counted once. */
export const UsageConvention = z
  .object({
    /** OpenAI, Gemini: the reported input count already contains cache reads (and writes). */
    input_includes_cache: z.boolean(),
    /** OpenAI, Anthropic: reasoning is part of output. Gemini reports thoughts separately. */
    output_includes_reasoning: z.boolean(),
  })
  .strict();
export type UsageConvention = z.infer<typeof UsageConvention>;

export const ModelClass = z.enum(['flagship', 'workhorse', 'small']);
export type ModelClass = z.infer<typeof ModelClass>;

export const ModelKind = z.enum(['chat', 'embedding', 'image', 'audio', 'moderation', 'rerank', 'other']);

export const Model = z
  .object({
    /** Canonical id, unique within the provider file ("claude-sonnet-4-5"). */
    id: z.string().min(1),
    name: z.string().optional(),
    kind: ModelKind.default('chat'),
    /** Spend class for tier-mix reports; from the seed's heuristics, editable by hand. */
    class: ModelClass.optional(),
    match: z
      .object({
        /** Exact ids, compared case-insensitively. */
        exact: z.array(z.string().min(1)).min(1),
        /** Anchored regular expressions for dated snapshots ("^claude-sonnet-4-5-\\d{8}$"). */
        regex: z.array(z.string().min(1)).optional(),
      })
      .strict(),
    /** Overrides the provider's convention (a Gemini model on Vertex next to Claude models). */
    usage_convention: UsageConvention.optional(),
    deprecated: isoInstant.optional(),
    offerings: z.array(Offering).min(1),
  })
  .strict();
export type Model = z.infer<typeof Model>;

/** A moving name ("mistral-large-latest") that points at a model for a period. */
export const Alias = z
  .object({
    id: z.string().min(1),
    target: z.string().min(1),
    from: isoInstant.nullable(),
    to: isoInstant.nullable(),
  })
  .strict();
export type Alias = z.infer<typeof Alias>;

export const ProviderFile = z
  .object({
    schema_version: z.literal(1),
    /** Provider id as used on the command line and in the ledger ("openai", "bedrock"). */
    provider: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string(),
    currency: z.literal('USD'),
    unit: z.literal('per_1m_tokens'),
    usage_convention: UsageConvention,
    /** Provider ids other spellings resolve to ("aws", "amazon-bedrock" → "bedrock"). */
    provider_aliases: z.array(z.string()).default([]),
    /** The datasets this file was generated from, with their versions. */
    sources: z.array(z.object({ name: z.string(), version: z.string() }).strict()),
    models: z.array(Model),
    aliases: z.array(Alias).default([]),
  })
  .strict();
export type ProviderFile = z.infer<typeof ProviderFile>;
export type ProviderFileInput = z.input<typeof ProviderFile>;

/** `pricing/manifest.json`: what the catalogue holds and which dataset versions made it. */
export const CatalogueManifest = z
  .object({
    schema_version: z.literal(1),
    /** The catalogue version recorded on every priced ledger row ("2026-08-21.1"). */
    version: z.string(),
    generated_at: z.string(),
    providers: z.array(z.string()),
    sources: z.array(z.object({ name: z.string(), file: z.string(), sha256: z.string(), as_of: z.string() }).strict()),
  })
  .strict();
export type CatalogueManifest = z.infer<typeof CatalogueManifest>;
