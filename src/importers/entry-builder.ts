/**
 * Builds ledger rows the same way in every importer: every column present (nulls and
 * zeros where the source says nothing), token-only usage priced from the catalogue,
 * provider-reported money kept as billed with llmfin's estimate beside it.
 */
import type { ChargeCategory, NewUsageEntry, Provenance } from '../ledger/ledger-schema.js';
import type { ServiceTier, UsageConvention } from '../pricing/catalogue-schema.js';
import type { ReportedUsage } from '../pricing/token-usage.js';
import { usdTextAndTicks } from '../shared/money.js';
import type { ImportContext } from './importer.js';
import { priceRow, type CostColumns } from './price-entry.js';

export interface EntryFields {
  source: string;
  provenance: Provenance;
  dedupeKey: string;
  provider: string;
  ts: string;
  /** `ts` as a Date for pricing, when the importer has it already (else parsed from `ts`). */
  at?: Date | undefined;
  tsEnd?: string | null | undefined;
  granularity?: 'request' | 'hour' | 'day' | 'month';
  model?: string | null | undefined;
  modelRequested?: string | null | undefined;
  account?: string | null | undefined;
  /** Token usage as the source reported it; priced from the catalogue. */
  usage?: ReportedUsage | undefined;
  /** The convention `usage` is in, when it is not the provider's own. */
  convention?: UsageConvention | undefined;
  serviceTier?: ServiceTier | undefined;
  region?: string | undefined;
  /** Catalogue offering when the source knows it (Azure data zone, Bedrock global). */
  offering?: string | undefined;
  /** A long-context SKU or band: the estimate uses the model's long-context rates. */
  longContext?: boolean | undefined;
  /** Money the provider reported (decimal text, USD): makes the row billed. */
  billedUsd?: string | undefined;
  /** `billedUsd` already as `usdTextAndTicks` gives it; wins over `billedUsd`. */
  billed?: { text: string; ticks: bigint } | undefined;
  chargeCategory?: ChargeCategory | undefined;
  description?: string | null | undefined;
  dims?: Partial<Pick<NewUsageEntry, 'team' | 'feature' | 'customer' | 'agent' | 'project' | 'environment' | 'api_key' | 'workspace' | 'user' | 'trace_id' | 'request_id'>>;
  /** Raw attribution identifiers (tags, labels) kept for attribution rules. */
  tags?: Record<string, string> | undefined;
  /** `tags` already as the ledger's JSON text (null: none); wins over `tags`. */
  tagsJson?: string | null | undefined;
  /** The numbers as reported, for re-pricing later. */
  raw?: unknown;
  /** `raw` already as JSON text (a hot importer writes it directly); wins over `raw`. */
  rawJson?: string | undefined;
  requests?: number | undefined;
}

const NO_DIMS: NonNullable<EntryFields['dims']> = {};

/** `created_at` is the same instant on every row of an import: format it once. */
let lastNow: { date: Date; time: number; iso: string } | undefined;
function isoOf(date: Date): string {
  if (lastNow === undefined || lastNow.date !== date || lastNow.time !== date.getTime()) lastNow = { date, time: date.getTime(), iso: date.toISOString() };
  return lastNow.iso;
}

function hasKeys(o: Record<string, string>): boolean {
  for (const _ in o) return true;
  return false;
}

/** The cost columns of a row without usage to price: unpriced, no tokens known. */
function unpricedColumns(catalogueVersion: string): CostColumns {
  return {
    cost_usd: null, cost_ticks: null, cost_status: 'unpriced', matched_model: null, offering: null, price_ref: null, catalogue_version: catalogueVersion,
    uncached_input_tokens: undefined, cache_read_tokens: undefined, cache_write_5m_tokens: undefined, cache_write_1h_tokens: undefined,
    input_audio_tokens: undefined, input_image_tokens: undefined, output_tokens: undefined, reasoning_tokens: undefined,
    output_audio_tokens: undefined, output_image_tokens: undefined, web_search_requests: undefined, input_tokens: undefined, description: null,
  };
}

/**
 * The usage with its request count, every field written out: a spread made objects of
 * many shapes, and reading the absent fields of those cost pricing more than its maths.
 */
function withRequests(u: ReportedUsage, requests: number): ReportedUsage {
  return {
    input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite5m: u.cacheWrite5m, cacheWrite1h: u.cacheWrite1h, reasoning: u.reasoning,
    inputAudio: u.inputAudio, outputAudio: u.outputAudio, inputImage: u.inputImage, outputImage: u.outputImage, requests, webSearches: u.webSearches,
  };
}

export function buildEntry(f: EntryFields, ctx: ImportContext): NewUsageEntry {
  const requests = f.requests ?? f.usage?.requests ?? 1;
  const priced =
    f.usage
      ? priceRow(
          ctx.pricer,
          // No model: still run it through, so the tokens are kept on an unpriced row.
          { provider: f.provider, model: f.model ?? '(no model)', at: f.at ?? new Date(f.ts), usage: withRequests(f.usage, requests), convention: f.convention, serviceTier: f.serviceTier, region: f.region, offering: f.offering, longContext: f.longContext },
          ctx.catalogueVersion,
        )
      : undefined;
  // One object literal with every column written out, in the same order every time (no
  // spreads): V8 then gives all entries one fast shape, which the insert, the summary
  // and the garbage collector all read much faster than spread-built objects.
  const d: NonNullable<EntryFields['dims']> = f.dims ?? NO_DIMS;
  const p: CostColumns = priced ?? unpricedColumns(ctx.catalogueVersion);
  const entry: NewUsageEntry = {
    provenance: f.provenance,
    source: f.source,
    dedupe_key: f.dedupeKey,
    provider: f.provider,
    account: f.account ?? null,
    model: f.model ?? null,
    model_requested: f.modelRequested ?? null,
    ts: f.ts,
    ts_end: f.tsEnd ?? null,
    granularity: f.granularity ?? 'request',
    requests,
    service_tier: f.serviceTier ?? null,
    region: f.region ?? null,
    raw_usage: f.rawJson ?? (f.raw === undefined ? null : JSON.stringify(f.raw)),
    currency: 'USD',
    charge_category: f.chargeCategory ?? 'usage',
    // `'x' in d`: a dimension given as undefined stays undefined, as a spread of `dims` left it.
    team: 'team' in d ? d.team : null,
    feature: 'feature' in d ? d.feature : null,
    customer: 'customer' in d ? d.customer : null,
    agent: 'agent' in d ? d.agent : null,
    project: 'project' in d ? d.project : null,
    environment: 'environment' in d ? d.environment : null,
    api_key: 'api_key' in d ? d.api_key : null,
    workspace: 'workspace' in d ? d.workspace : null,
    user: 'user' in d ? d.user : null,
    trace_id: 'trace_id' in d ? d.trace_id : null,
    request_id: 'request_id' in d ? d.request_id : null,
    tags: f.tagsJson !== undefined ? f.tagsJson : f.tags && hasKeys(f.tags) ? JSON.stringify(f.tags) : null,
    created_at: isoOf(ctx.now),
    cost_usd: p.cost_usd,
    cost_ticks: p.cost_ticks,
    cost_status: p.cost_status,
    matched_model: p.matched_model,
    offering: p.offering,
    price_ref: p.price_ref,
    catalogue_version: p.catalogue_version,
    uncached_input_tokens: p.uncached_input_tokens,
    cache_read_tokens: p.cache_read_tokens,
    cache_write_5m_tokens: p.cache_write_5m_tokens,
    cache_write_1h_tokens: p.cache_write_1h_tokens,
    input_audio_tokens: p.input_audio_tokens,
    input_image_tokens: p.input_image_tokens,
    output_tokens: p.output_tokens,
    reasoning_tokens: p.reasoning_tokens,
    output_audio_tokens: p.output_audio_tokens,
    output_image_tokens: p.output_image_tokens,
    web_search_requests: p.web_search_requests,
    input_tokens: p.input_tokens,
    description: p.description,
    reported_cost_usd: null,
    estimated_cost_usd: null,
    estimated_cost_ticks: null,
  };
  if (f.billed !== undefined || f.billedUsd !== undefined) {
    const billed = f.billed ?? usdTextAndTicks(f.billedUsd!);
    // The provider's money is the row's cost; llmfin's price for the same usage stays beside it.
    entry.estimated_cost_usd = priced?.cost_status === 'priced' ? priced.cost_usd : null;
    entry.estimated_cost_ticks = priced?.cost_status === 'priced' ? priced.cost_ticks : null;
    entry.cost_usd = billed.text;
    entry.cost_ticks = billed.ticks;
    entry.cost_status = 'billed';
    entry.reported_cost_usd = billed.text;
  }
  if (f.description !== undefined && f.description !== null) {
    entry.description = entry.description ? `${f.description}; ${entry.description}` : f.description;
  }
  return entry;
}
