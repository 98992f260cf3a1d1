/**
 * Prices one imported usage row and fills the ledger's cost columns. Unknown models
 * become `unpriced` rows with the reason kept: visible in reports, never $0. Web searches
 * on a model without a web_search rate are named in the description; a row of nothing
 * but such searches is unpriced, not $0.
 */
import type { NewUsageEntry } from '../ledger/ledger-schema.js';
import type { UsageConvention, ServiceTier } from '../pricing/catalogue-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import { webSearchNote } from '../pricing/cost-engine.js';
import { normaliseUsage, type ReportedUsage, type TokenUsage } from '../pricing/token-usage.js';

export interface PriceableRow {
  provider: string;
  model: string;
  at: Date;
  usage: ReportedUsage;
  convention?: UsageConvention | undefined;
  serviceTier?: ServiceTier | undefined;
  region?: string | undefined;
  offering?: string | undefined;
  longContext?: boolean | undefined;
}

export type CostColumns = Pick<
  NewUsageEntry,
  | 'cost_usd'
  | 'cost_ticks'
  | 'cost_status'
  | 'matched_model'
  | 'offering'
  | 'price_ref'
  | 'catalogue_version'
  | 'uncached_input_tokens'
  | 'cache_read_tokens'
  | 'cache_write_5m_tokens'
  | 'cache_write_1h_tokens'
  | 'input_audio_tokens'
  | 'input_image_tokens'
  | 'output_tokens'
  | 'reasoning_tokens'
  | 'output_audio_tokens'
  | 'output_image_tokens'
  | 'web_search_requests'
  | 'input_tokens'
  | 'description'
>;

export function priceRow(pricer: Pricer, row: PriceableRow, catalogueVersion: string): CostColumns {
  // The row is a PriceRequest already: passed as is, not copied field by field.
  const result = pricer.priceExact(row);
  if (result.status === 'unpriced') return unpricedRow(pricer, row, catalogueVersion, result.reason);
  const searchNote = result.unpricedSearches > 0 ? webSearchNote(result.matchedModel, result.unpricedSearches) : null;
  // Searches the only thing billed, and none of them priced: the cost is unknown, not $0.
  if (searchNote !== null && result.costTicks === 0n) return unpricedRow(pricer, row, catalogueVersion, searchNote);
  const t = result.usage;
  return {
    cost_usd: result.costUsd,
    cost_ticks: result.costTicks,
    cost_status: 'priced',
    matched_model: result.matchedModel,
    offering: result.offering,
    price_ref: result.priceRef,
    catalogue_version: catalogueVersion,
    uncached_input_tokens: t.uncachedInput,
    cache_read_tokens: t.cacheRead,
    cache_write_5m_tokens: t.cacheWrite5m,
    cache_write_1h_tokens: t.cacheWrite1h,
    input_audio_tokens: t.inputAudio,
    input_image_tokens: t.inputImage,
    output_tokens: t.output + t.outputAudio + t.outputImage,
    reasoning_tokens: t.reasoning,
    output_audio_tokens: t.outputAudio,
    output_image_tokens: t.outputImage,
    web_search_requests: t.webSearches,
    input_tokens: t.uncachedInput + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h + t.inputAudio + t.inputImage,
    description: searchNote,
  };
}

/** The cost columns of a row that cannot be priced, with what is known of its tokens. */
function unpricedRow(pricer: Pricer, row: PriceableRow, catalogueVersion: string, reason: string): CostColumns {
  const u = row.usage;
  // Keep what we know of the tokens even when we cannot price them, split by the
  // provider's convention when the provider is known.
  const convention = row.convention ?? pricer.catalogue.provider(row.provider)?.usage_convention;
  let t: TokenUsage | undefined;
  if (convention) {
    try {
      t = normaliseUsage(u, convention);
    } catch {
      t = undefined;
    }
  }
  return {
    cost_usd: null,
    cost_ticks: null,
    cost_status: 'unpriced',
    matched_model: null,
    offering: null,
    price_ref: null,
    catalogue_version: catalogueVersion,
    uncached_input_tokens: t?.uncachedInput ?? 0,
    cache_read_tokens: t?.cacheRead ?? u.cacheRead ?? 0,
    cache_write_5m_tokens: t?.cacheWrite5m ?? u.cacheWrite5m ?? 0,
    cache_write_1h_tokens: t?.cacheWrite1h ?? u.cacheWrite1h ?? 0,
    input_audio_tokens: t?.inputAudio ?? 0,
    input_image_tokens: t?.inputImage ?? 0,
    output_tokens: t ? t.output + t.outputAudio + t.outputImage : u.output,
    reasoning_tokens: t?.reasoning ?? u.reasoning ?? 0,
    output_audio_tokens: t?.outputAudio ?? 0,
    output_image_tokens: t?.outputImage ?? 0,
    web_search_requests: u.webSearches ?? 0,
    input_tokens: t ? t.uncachedInput + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h + t.inputAudio + t.inputImage : u.input,
    description: `unpriced: ${reason}`,
  };
}
