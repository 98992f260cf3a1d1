/**
 * The baseline file (`llmfin.baseline.json`) that `llmfin baseline save` writes and
 * `llmfin check` compares against. It is committed to the repository, so it is
 * versioned (`schema_version`), deterministic (sorted keys and groups, no wall-clock
 * time) and diffs well. Money is exact decimal text in USD, never a float.
 *
 * Two independent sections, each updated without touching the other:
 * - `usage`: per group (feature, scenario or model) of a recorded run, the token mix
 *   by model, so the run can be re-priced at any catalogue's prices.
 * - `prompts`: per prompt template, its token count and estimated cost per request.
 * Each section names the catalogue version it was priced with and carries a snapshot
 * of the catalogue entries of the models it used (`prices`), so `check` can re-price a
 * new run at the baseline's prices after the catalogue has changed.
 */
import { z } from 'zod';
import { Alias, Model, UsageConvention } from '../pricing/catalogue-schema.js';

/** Bumped when a field changes meaning; readers refuse versions they do not know. */
export const BASELINE_SCHEMA_VERSION = 1;
export const BASELINE_KIND = 'llmfin-baseline';

const usd = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal USD amount such as "0.0021"');
const count = z.number().int().nonnegative();
/** An instant prices are looked up at: `new Date()` must read it, or pricing fails deep inside. */
const instant = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 UTC time such as "2026-10-01T12:00:59.000Z"');

/**
 * One slice of a group's traffic: the requests to one model with one service tier and
 * region, and every token bucket summed (the ledger's taxonomy: `input` is every input
 * token, cache reads and writes are parts of it; `reasoning` is part of `output`).
 */
export const TokenSlice = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    service_tier: z.string().nullable(),
    region: z.string().nullable(),
    requests: count,
    input: count,
    cache_read: count,
    cache_write_5m: count,
    cache_write_1h: count,
    input_audio: count,
    input_image: count,
    output: count,
    reasoning: count,
    output_audio: count,
    output_image: count,
    /** Server-side web searches, priced per search; baselines written before it have none. */
    web_searches: count.default(0),
    /**
     * The long-context threshold of the model (input tokens) that every request of this slice
     * is past, or null when they are below all of them: a group's requests are split at the
     * model's thresholds, so long prompts are priced at long-context rates and short ones are
     * not, rather than all at their average. Absent in baselines written before the split.
     */
    long_context_above: z.number().int().positive().nullable().optional(),
    /** What the ledger recorded for these rows; used only when a slice cannot be re-priced. */
    recorded_cost_usd: usd,
  })
  .strict();
export type TokenSlice = z.infer<typeof TokenSlice>;

export const BaselineGroup = z
  .object({
    requests: count,
    /** Priced with the section's catalogue (the token mix below, re-priced). */
    cost_usd: usd,
    cost_per_request_usd: usd,
    input_tokens_per_request: z.number().nonnegative(),
    output_tokens_per_request: z.number().nonnegative(),
    /** Cache reads over all input tokens; null without input tokens. */
    cache_hit_ratio: z.number().min(0).max(1).nullable(),
    /** Share of requests per model. */
    model_mix: z.record(z.string(), z.number().min(0).max(1)),
    token_mix: z.array(TokenSlice),
  })
  .strict()
  // The check compares the token mix per request: a group whose mix counts no request (or
  // not the requests the group says) would compare $0 against $0 and pass whatever the run did.
  .superRefine((g, ctx) => {
    const requests = g.token_mix.reduce((n, s) => n + s.requests, 0);
    if (requests === 0) ctx.addIssue({ code: 'custom', path: ['token_mix'], message: 'counts no request: a group needs at least one request to compare per request' });
    else if (requests !== g.requests) ctx.addIssue({ code: 'custom', path: ['requests'], message: `is ${g.requests} but the token_mix counts ${requests} requests` });
  });
export type BaselineGroup = z.infer<typeof BaselineGroup>;

/** The catalogue entry of one model as the baseline's catalogue had it: enough for the Pricer. */
export const PriceSnapshot = z
  .object({
    provider: z.string().min(1),
    usage_convention: UsageConvention,
    model: Model,
    aliases: z.array(Alias),
  })
  .strict();
export type PriceSnapshot = z.infer<typeof PriceSnapshot>;

export const UsageSection = z
  .object({
    group_by: z.enum(['feature', 'scenario', 'model']),
    run_id: z.string().nullable(),
    since: z.string().nullable(),
    until: z.string().nullable(),
    catalogue_version: z.string(),
    /** The moment prices are looked up at: the last recorded request of the run. */
    priced_at: instant,
    // `baseline save` refuses a run without requests: a section of no group (a hand edit)
    // would compare nothing, and every group of any run would pass as new.
    groups: z.record(z.string(), BaselineGroup).refine((g) => Object.keys(g).length > 0, 'holds no group: a baseline saved from a run has one per feature, scenario or model it recorded'),
    /** Keyed `provider/model-id`. */
    prices: z.record(z.string(), PriceSnapshot),
  })
  .strict();
export type UsageSection = z.infer<typeof UsageSection>;

export const PromptTemplate = z
  .object({
    tokens: count,
    /** tokens × the model's uncached input price. */
    cost_per_request_usd: usd,
  })
  .strict();
export type PromptTemplate = z.infer<typeof PromptTemplate>;

export const PromptsSection = z
  .object({
    patterns: z.array(z.string()),
    provider: z.string(),
    model: z.string(),
    /** `o200k_base`, `cl100k_base`, or `chars/4` (an approximation for non-OpenAI models). */
    tokenizer: z.string(),
    catalogue_version: z.string(),
    templates: z.record(z.string(), PromptTemplate),
    prices: z.record(z.string(), PriceSnapshot),
  })
  .strict();
export type PromptsSection = z.infer<typeof PromptsSection>;

export const BaselineFile = z
  .object({
    schema_version: z.literal(BASELINE_SCHEMA_VERSION),
    kind: z.literal(BASELINE_KIND),
    llmfin_version: z.string(),
    usage: UsageSection.nullable(),
    prompts: PromptsSection.nullable(),
  })
  .strict();
export type BaselineFile = z.infer<typeof BaselineFile>;
