/**
 * llmfin's own interchange format, one JSON object per line: what `llmfin export
 * --format jsonl` writes and what custom pipelines should produce. Token counts use
 * the ledger's convention: `input_tokens` is every input token (cache reads and
 * writes are parts of it) and `reasoning_tokens` is part of `output_tokens`.
 */
import { z } from 'zod';
import { CHARGE_CATEGORIES, COST_STATUSES, GRANULARITIES, PROVENANCES } from '../../ledger/ledger-schema.js';
import { SERVICE_TIERS } from '../../pricing/catalogue-schema.js';

const count = z.number().int().nonnegative();
const dim = z.string().min(1).nullable().optional();
const money = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);

export const LlmfinRow = z
  .object({
    /** Stable row id: re-importing the same id changes nothing. */
    id: z.string().min(1).optional(),
    ts: z.iso.datetime({ offset: true }),
    ts_end: z.iso.datetime({ offset: true }).nullable().optional(),
    granularity: z.enum(GRANULARITIES).default('request'),
    provenance: z.enum(PROVENANCES).default('metered'),
    provider: z.string().min(1),
    /** Required, except on a ledger row (with `cost_status`) that has none: a tax or credit line. */
    model: z.string().min(1).nullable().optional(),
    model_requested: dim,
    account: dim,
    /** Default: 1 for a request row, 0 for an aggregate (`requestsOf`): a day's row without a count is not one request. */
    requests: count.optional(),
    input_tokens: count.default(0),
    cache_read_tokens: count.default(0),
    cache_write_5m_tokens: count.default(0),
    cache_write_1h_tokens: count.default(0),
    output_tokens: count.default(0),
    reasoning_tokens: count.default(0),
    /** Server-side web searches (Anthropic's `server_tool_use.web_search_requests`), priced per search. */
    web_search_requests: count.default(0),
    service_tier: z.enum(SERVICE_TIERS).nullable().optional(),
    region: dim,
    /** A cost the source already knows (billed rows); kept beside llmfin's own price. */
    cost_usd: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).nullable().optional(),
    team: dim,
    feature: dim,
    customer: dim,
    agent: dim,
    project: dim,
    environment: dim,
    api_key: dim,
    workspace: dim,
    user: dim,
    trace_id: dim,
    request_id: dim,
    tags: z.record(z.string(), z.string()).nullable().optional(),

    // Ledger columns, written by `llmfin export` so that a re-import restores each row exactly.
    // A row with `cost_status` is such a row: every column is taken as written, not re-priced.
    // On other rows only `source`, `charge_category` and `description` are read; the rest is priced.
    /** The importer the row first came from (default `llmfin`); with `id`, its identity. */
    source: z.string().min(1).optional(),
    cost_status: z.enum(COST_STATUSES).optional(),
    reported_cost_usd: money.nullable().optional(),
    estimated_cost_usd: money.nullable().optional(),
    charge_category: z.enum(CHARGE_CATEGORIES).optional(),
    // cost_usd is US dollars whatever the row says: a row that says otherwise is refused, not relabelled.
    currency: z.string().regex(/^usd$/i).transform(() => 'USD').optional(),
    matched_model: z.string().nullable().optional(),
    offering: z.string().nullable().optional(),
    price_ref: z.string().nullable().optional(),
    catalogue_version: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    /** JSON text of the numbers as the source reported them, kept verbatim. */
    raw_usage: z.string().nullable().optional(),
    uncached_input_tokens: count.optional(),
    input_audio_tokens: count.optional(),
    input_image_tokens: count.optional(),
    output_audio_tokens: count.optional(),
    output_image_tokens: count.optional(),
    // What the proxy records of a request (null on other rows): `check` leaves an attempt the
    // upstream refused out by its status, and the loop detector tells calls apart by the hash.
    status_code: count.nullable().optional(),
    latency_ms: count.nullable().optional(),
    ttfb_ms: count.nullable().optional(),
    /** sha256 hex of the prompt text, never the text. */
    prompt_hash: z.string().min(1).nullable().optional(),
  })
  .strict()
  .superRefine((row, issues) => {
    if (row.cost_status === undefined && (row.model === undefined || row.model === null)) {
      issues.addIssue({ code: 'custom', path: ['model'], message: 'expected a model name' });
    }
    // Billed means money the provider reported: without it the row would pass llmfin's
    // estimate (or $0, without tokens) off as the bill.
    if (row.cost_status === undefined && row.provenance === 'billed' && (row.cost_usd === undefined || row.cost_usd === null)) {
      issues.addIssue({ code: 'custom', path: ['cost_usd'], message: 'expected the amount billed: a billed row carries its cost_usd (leave provenance out for usage llmfin prices)' });
    }
  });
export type LlmfinRow = z.infer<typeof LlmfinRow>;

/**
 * A row's request count: as given, else 1 for a request row and 0 for an aggregate (a
 * day's or an hour's bill), whose count is unknown rather than one; other billed sources
 * record 0 too, so cost per request is read from the rows that know their requests.
 */
export function requestsOf(row: Pick<LlmfinRow, 'requests' | 'granularity'>): number {
  return row.requests ?? (row.granularity === 'request' ? 1 : 0);
}
