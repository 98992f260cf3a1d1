/**
 * llmfin's own interchange format, one JSON object per line: what `llmfin export
 * --format jsonl` writes and what custom pipelines should produce. Token counts use
 * the ledger's convention: `input_tokens` is every input token (cache reads and
 * writes are parts of it) and `reasoning_tokens` is part of `output_tokens`.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();
const dim = z.string().min(1).nullable().optional();

export const LlmfinRow = z
  .object({
    /** Stable row id: re-importing the same id changes nothing. */
    id: z.string().min(1).optional(),
    ts: z.iso.datetime({ offset: true }),
    ts_end: z.iso.datetime({ offset: true }).nullable().optional(),
    granularity: z.enum(['request', 'hour', 'day', 'month']).default('request'),
    provenance: z.enum(['billed', 'provider_usage', 'metered']).default('metered'),
    provider: z.string().min(1),
    model: z.string().min(1),
    model_requested: dim,
    account: dim,
    requests: count.default(1),
    input_tokens: count.default(0),
    cache_read_tokens: count.default(0),
    cache_write_5m_tokens: count.default(0),
    cache_write_1h_tokens: count.default(0),
    output_tokens: count.default(0),
    reasoning_tokens: count.default(0),
    service_tier: z.enum(['standard', 'batch', 'flex', 'priority', 'fast']).nullable().optional(),
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
  })
  .strict();
export type LlmfinRow = z.infer<typeof LlmfinRow>;
