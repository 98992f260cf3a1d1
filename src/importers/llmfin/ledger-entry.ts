/**
 * Ledger rows written by `llmfin export`, restored. A row that carries `cost_status` is a
 * ledger row as the export wrote it (JSONL, CSV, or FOCUS with its x_llmfin_* columns). It
 * is restored column for column: its source and id are its identity (so importing the
 * export again, or into the ledger it came from, changes nothing), its provenance and
 * money stay what they were (a billed row stays billed), and nothing is re-priced.
 */
import { createHash } from 'node:crypto';
import type { ImportContext } from '../importer.js';
import type { AttributionColumn, NewUsageEntry } from '../../ledger/ledger-schema.js';
import { dec, usdToTicks } from '../../shared/money.js';
import { requestsOf, type LlmfinRow } from './llmfin-row-schema.js';

/** `text`: the row's text, whose hash is its id when it has none. */
export function ledgerEntry(row: LlmfinRow, text: string, ctx: ImportContext): NewUsageEntry {
  const money = (value: string | number | null | undefined) => (value === undefined || value === null ? null : dec(value).toFixed());
  const audioImageIn = (row.input_audio_tokens ?? 0) + (row.input_image_tokens ?? 0);
  const cached = row.cache_read_tokens + row.cache_write_5m_tokens + row.cache_write_1h_tokens;
  const cost = money(row.cost_usd);
  const estimated = money(row.estimated_cost_usd);
  return {
    provenance: row.provenance,
    source: row.source ?? 'llmfin',
    dedupe_key: row.id ?? createHash('sha256').update(text).digest('hex').slice(0, 32),
    provider: row.provider,
    account: row.account ?? null,
    model: row.model ?? null,
    model_requested: row.model_requested ?? null,
    matched_model: row.matched_model ?? null,
    offering: row.offering ?? null,
    ts: new Date(row.ts).toISOString(),
    ts_end: row.ts_end ? new Date(row.ts_end).toISOString() : null,
    granularity: row.granularity,
    requests: requestsOf(row),
    input_tokens: row.input_tokens,
    // Input counts every input token: what is not cached, audio or image is uncached text.
    uncached_input_tokens: row.uncached_input_tokens ?? Math.max(0, row.input_tokens - cached - audioImageIn),
    cache_read_tokens: row.cache_read_tokens,
    cache_write_5m_tokens: row.cache_write_5m_tokens,
    cache_write_1h_tokens: row.cache_write_1h_tokens,
    input_audio_tokens: row.input_audio_tokens ?? 0,
    input_image_tokens: row.input_image_tokens ?? 0,
    output_tokens: row.output_tokens,
    reasoning_tokens: row.reasoning_tokens,
    output_audio_tokens: row.output_audio_tokens ?? 0,
    output_image_tokens: row.output_image_tokens ?? 0,
    web_search_requests: row.web_search_requests,
    service_tier: row.service_tier ?? null,
    region: row.region ?? null,
    raw_usage: row.raw_usage ?? null,
    cost_usd: cost,
    // Ticks too, as every importer gives them: the import summary adds them up.
    cost_ticks: cost === null ? null : usdToTicks(dec(cost)),
    cost_status: row.cost_status ?? 'unpriced',
    reported_cost_usd: money(row.reported_cost_usd),
    estimated_cost_usd: estimated,
    estimated_cost_ticks: estimated === null ? null : usdToTicks(dec(estimated)),
    price_ref: row.price_ref ?? null,
    catalogue_version: row.catalogue_version ?? null,
    currency: row.currency ?? 'USD',
    description: row.description ?? null,
    charge_category: row.charge_category ?? 'usage',
    ...dimsOf(row),
    tags: row.tags && Object.keys(row.tags).length > 0 ? JSON.stringify(row.tags) : null,
    created_at: ctx.now.toISOString(),
    ...proxyColumnsOf(row),
  };
}

/** What the proxy recorded of a request, missing ones as null (both row kinds write them). */
export function proxyColumnsOf(row: LlmfinRow) {
  return { status_code: row.status_code ?? null, latency_ms: row.latency_ms ?? null, ttfb_ms: row.ttfb_ms ?? null, prompt_hash: row.prompt_hash ?? null };
}

/**
 * The attribution columns a row carries, missing ones as null (both row kinds write them).
 * Its return type holds it to ATTRIBUTION_COLUMNS (a dimension missing or extra does not
 * compile); an object literal rather than a loop over the names, because it runs for every
 * row of an import, and a literal gives each result one fixed shape with its fields in the
 * object (a loop over the names made this step about twice as slow).
 */
export function dimsOf(row: LlmfinRow): Record<AttributionColumn | 'trace_id' | 'request_id', string | null> {
  return {
    team: row.team ?? null,
    feature: row.feature ?? null,
    customer: row.customer ?? null,
    agent: row.agent ?? null,
    project: row.project ?? null,
    environment: row.environment ?? null,
    api_key: row.api_key ?? null,
    workspace: row.workspace ?? null,
    user: row.user ?? null,
    trace_id: row.trace_id ?? null,
    request_id: row.request_id ?? null,
  };
}
