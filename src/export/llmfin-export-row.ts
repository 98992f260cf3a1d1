/**
 * A ledger row in llmfin's own interchange format (src/importers/llmfin/llmfin-row-schema.ts):
 * every column of `usage_entries` except the ledger-local ones (id, batch_id, created_at),
 * under the names the llmfin importer reads, so `llmfin import` restores the row exactly.
 * `id` is the row's dedupe key, which with `source` identifies it across re-imports;
 * money is exact decimal text; `tags` is an object; `raw_usage` stays the JSON text the
 * ledger holds, byte for byte. The `*_ticks` columns are left out: they are the
 * decimal amounts in integer form and are derived again on import.
 */
import { ATTRIBUTION_COLUMNS, type UsageEntry } from '../ledger/ledger-schema.js';

/** Field order of the JSONL objects and the CSV columns: identity, time, usage, money, attribution. */
export const LLMFIN_EXPORT_FIELDS = [
  'id', 'source', 'provenance', 'provider', 'account', 'model', 'model_requested', 'matched_model', 'offering',
  'ts', 'ts_end', 'granularity', 'requests',
  'input_tokens', 'uncached_input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'input_audio_tokens', 'input_image_tokens', 'output_tokens', 'reasoning_tokens', 'output_audio_tokens', 'output_image_tokens',
  'web_search_requests', 'service_tier', 'region',
  'cost_usd', 'cost_status', 'reported_cost_usd', 'estimated_cost_usd', 'currency', 'charge_category',
  'price_ref', 'catalogue_version', 'description',
  'team', 'feature', 'customer', 'agent', 'project', 'environment', 'api_key', 'workspace', 'user',
  'trace_id', 'request_id', 'tags', 'raw_usage',
  // What the proxy records of a request: `check` leaves refused attempts out by their status, loops are told by the hash.
  'status_code', 'latency_ms', 'ttfb_ms', 'prompt_hash',
] as const;
export type LlmfinExportField = (typeof LLMFIN_EXPORT_FIELDS)[number];

// The attribution fields keep this format's own order (a published CSV header and JSONL key
// order), so they are written out above rather than spread from ATTRIBUTION_COLUMNS; this
// stops compiling if a dimension is added there and not here.
const _everyAttributionExported: readonly LlmfinExportField[] = ATTRIBUTION_COLUMNS;

export type LlmfinExportValue = string | number | null | Record<string, string>;
export type LlmfinExportRow = Record<LlmfinExportField, LlmfinExportValue>;

/** The ledger's `tags` JSON text as an object; null when there are none. */
export function parseTagsColumn(text: string | null): Record<string, string> | null {
  if (text === null || text === '') return null;
  const value = JSON.parse(text) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const tags: Record<string, string> = {};
  // The ledger writes string values; anything else is kept as its text so the import schema accepts it.
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) tags[key] = typeof v === 'string' ? v : JSON.stringify(v);
  return Object.keys(tags).length > 0 ? tags : null;
}

export function toLlmfinExportRow(e: UsageEntry): LlmfinExportRow {
  return {
    id: e.dedupe_key,
    source: e.source,
    provenance: e.provenance,
    provider: e.provider,
    account: e.account,
    model: e.model,
    model_requested: e.model_requested,
    matched_model: e.matched_model,
    offering: e.offering,
    ts: e.ts,
    ts_end: e.ts_end,
    granularity: e.granularity,
    requests: e.requests,
    input_tokens: e.input_tokens,
    uncached_input_tokens: e.uncached_input_tokens,
    cache_read_tokens: e.cache_read_tokens,
    cache_write_5m_tokens: e.cache_write_5m_tokens,
    cache_write_1h_tokens: e.cache_write_1h_tokens,
    input_audio_tokens: e.input_audio_tokens,
    input_image_tokens: e.input_image_tokens,
    output_tokens: e.output_tokens,
    reasoning_tokens: e.reasoning_tokens,
    output_audio_tokens: e.output_audio_tokens,
    output_image_tokens: e.output_image_tokens,
    web_search_requests: e.web_search_requests,
    service_tier: e.service_tier,
    region: e.region,
    cost_usd: e.cost_usd,
    cost_status: e.cost_status,
    reported_cost_usd: e.reported_cost_usd,
    estimated_cost_usd: e.estimated_cost_usd,
    currency: e.currency,
    charge_category: e.charge_category,
    price_ref: e.price_ref,
    catalogue_version: e.catalogue_version,
    description: e.description,
    team: e.team,
    feature: e.feature,
    customer: e.customer,
    agent: e.agent,
    project: e.project,
    environment: e.environment,
    api_key: e.api_key,
    workspace: e.workspace,
    user: e.user,
    trace_id: e.trace_id,
    request_id: e.request_id,
    tags: parseTagsColumn(e.tags),
    raw_usage: e.raw_usage,
    status_code: e.status_code,
    latency_ms: e.latency_ms,
    ttfb_ms: e.ttfb_ms,
    prompt_hash: e.prompt_hash,
  };
}
