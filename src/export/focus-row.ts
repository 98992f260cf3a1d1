/**
 * One ledger row as a FOCUS 1.2 row (FinOps Open Cost and Usage Specification), filled
 * as far as the ledger allows. Which column comes from where:
 *
 *   BilledCost, EffectiveCost,     cost_usd: on billed rows the provider's amount, on priced
 *   ContractedCost                 rows llmfin's catalogue price after any negotiated discount
 *                                  (pricing.discounts; x_llmfin_cost_basis says which); an
 *                                  unpriced row has no known cost and writes 0, flagged
 *                                  x_llmfin_cost_status=unpriced — never read it as free
 *   ListCost                       the same, except on a priced row a discount applied to: the
 *                                  catalogue's list price before the discount (list-cost.ts)
 *   BillingCurrency                currency (USD)
 *   BillingAccountId/Name          account, else the provider
 *   BillingPeriodStart/End         the UTC calendar month of ts (end exclusive)
 *   ChargePeriodStart/End          ts and ts_end; without ts_end, the row's granularity
 *                                  (hour, day, month) gives the end, and a single request
 *                                  is an instant (end = start)
 *   ChargeCategory                 charge_category: usage, non_llm, unclassified → Usage;
 *                                  tax → Tax; credit → Credit; support, fee → Purchase
 *   ChargeClass                    Correction when the description says so, else empty
 *   ChargeDescription              description, else "<provider> <model> usage"
 *   ChargeFrequency                never null (FOCUS: MUST NOT be null, and never Usage-Based
 *                                  on a Purchase): Usage-Based on usage rows, Recurring on
 *                                  support (a monthly plan), One-Time on tax, credits and fees
 *   ProviderName, PublisherName,   the ledger's provider id (openai, anthropic, bedrock…),
 *   InvoiceIssuerName              which llmfin's FOCUS importer maps back to the provider
 *   ServiceName                    the provider's LLM service (OpenAI API, Amazon Bedrock…); on
 *                                  other charges (non_llm, tax, credit…) the service the source
 *                                  file named (FOCUS ServiceName, Azure MeterCategory, CUR
 *                                  product code, GCP service) when its raw usage kept it
 *   ServiceCategory/Subcategory    AI and Machine Learning / Generative AI (Other for non_llm)
 *   SkuId, SkuPriceId              model; price_ref (the catalogue price period used)
 *   ConsumedQuantity/Unit,         every token once (input_tokens + output_tokens: cache reads
 *   PricingQuantity/Unit           and writes are parts of input, reasoning of output), Tokens;
 *                                  on a row without tokens its web searches, Requests; else
 *                                  empty (taxes, credits) — except PricingQuantity/Unit on a
 *                                  Usage or Purchase charge (support, fees), which FOCUS
 *                                  requires (not null on either unless a Correction): 1 Units,
 *                                  the billed amount as one charge or one purchase, with
 *                                  nothing consumed measured
 *   RegionId, RegionName           region
 *   SubAccountId, SubAccountName   account, else project; the project when it is the id (an
 *                                  account's name is not known: empty; the project stays in Tags)
 *   Tags                           JSON object of team, feature, customer, agent, project,
 *                                  environment, api_key, workspace, user (as the attribution
 *                                  rules decide them, with any dimension only a rule sets)
 *                                  and the custom tags
 *   x_llmfin_*                     what FOCUS has no column for: provenance, source and dedupe
 *                                  key, cost status and basis, llmfin's estimate and the
 *                                  provider's reported cost, every token class, requests,
 *                                  service tier, granularity, trace and request ids, and the
 *                                  upstream's HTTP status (a refused attempt is no request)
 */
import { ATTRIBUTION_COLUMNS, type ChargeCategory, type CostStatus, type UsageEntry } from '../ledger/ledger-schema.js';
import { parseTagsColumn } from './llmfin-export-row.js';
import type { Attributor } from '../attribution/attributor.js';
import { identifiersOf } from '../attribution/identifiers.js';
import { granularityEnd } from '../ledger/granularity-end.js';

export const FOCUS_COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
  'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName',
  'ServiceCategory', 'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags',
  'x_llmfin_provenance', 'x_llmfin_source', 'x_llmfin_dedupe_key', 'x_llmfin_cost_status', 'x_llmfin_cost_basis',
  'x_llmfin_estimated_cost', 'x_llmfin_reported_cost', 'x_llmfin_charge_category', 'x_llmfin_granularity', 'x_llmfin_requests',
  'x_llmfin_input_tokens', 'x_llmfin_uncached_input_tokens', 'x_llmfin_cache_read_tokens', 'x_llmfin_cache_write_5m_tokens',
  'x_llmfin_cache_write_1h_tokens', 'x_llmfin_input_audio_tokens', 'x_llmfin_input_image_tokens', 'x_llmfin_output_tokens',
  'x_llmfin_reasoning_tokens', 'x_llmfin_output_audio_tokens', 'x_llmfin_output_image_tokens', 'x_llmfin_web_search_requests', 'x_llmfin_service_tier',
  'x_llmfin_model', 'x_llmfin_model_requested', 'x_llmfin_matched_model', 'x_llmfin_trace_id', 'x_llmfin_request_id',
  'x_llmfin_status_code',
] as const;
export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
export type FocusRow = Record<FocusColumn, string | number | null>;

const CHARGE_CATEGORY: Record<ChargeCategory, string> = {
  usage: 'Usage',
  non_llm: 'Usage',
  unclassified: 'Usage',
  tax: 'Tax',
  credit: 'Credit',
  support: 'Purchase',
  fee: 'Purchase',
};

const COST_BASIS: Record<CostStatus, string> = {
  billed: 'provider',
  priced: 'llmfin_price',
  estimated: 'llmfin_estimate',
  unpriced: 'unknown',
};

/** The LLM service a provider bills under; other providers are "<provider> API". */
const SERVICE_NAMES: Record<string, string> = {
  openai: 'OpenAI API',
  anthropic: 'Anthropic API',
  bedrock: 'Amazon Bedrock',
  azure: 'Azure OpenAI',
  vertex: 'Vertex AI',
  google: 'Gemini API',
};

/** Where each source's raw usage keeps the service a charge was billed under. */
const RAW_SERVICE_KEYS = ['ServiceName', 'meter_category', 'product_code', 'service'] as const;

/**
 * The service a charge other than LLM usage was billed under, as its source file named
 * it: a virtual machine on an Azure bill is not "Azure OpenAI" to a BI tool grouping by
 * ServiceName. Undefined when the raw usage does not say.
 */
function rawServiceName(raw: string | null): string | undefined {
  if (raw === null || !raw.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const o = parsed as Record<string, unknown>;
  for (const key of RAW_SERVICE_KEYS) {
    const value = o[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** FOCUS date/times are UTC ISO 8601 with Z; whole seconds drop the ledger's `.000`. */
function focusTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

function monthStart(date: Date, plusMonths = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + plusMonths, 1));
}

function chargeEnd(e: UsageEntry, start: Date): Date {
  return e.ts_end !== null ? new Date(e.ts_end) : granularityEnd(start, e.granularity);
}

/**
 * The row's Tags: the attribution columns, in their order, then the custom tags. With an
 * `attributor`, the dimensions are the ones `llmfin report` gives the row (a rule's `team`
 * for a project, a rule-only dimension such as `cost_center`), so a BI tool's chargeback
 * agrees with llmfin's; without one, the columns as stored.
 */
export function focusTags(e: UsageEntry, attributor?: Attributor): Record<string, string> {
  const tags: Record<string, string> = {};
  if (attributor !== undefined) {
    const ids = identifiersOf(e);
    for (const dim of [...ATTRIBUTION_COLUMNS, ...attributor.ruleDimensions]) {
      const value = attributor.value(ids, dim);
      if (value !== null && !(dim in tags)) tags[dim] = value;
    }
  } else {
    for (const dim of ATTRIBUTION_COLUMNS) {
      const value = e[dim];
      if (value !== null) tags[dim] = value;
    }
  }
  // A custom tag never overrides the dimension column of the same name: the column is what reports use.
  for (const [key, value] of Object.entries(parseTagsColumn(e.tags) ?? {})) if (!(key in tags)) tags[key] = value;
  return tags;
}

/** `listCost`: the row's price before a negotiated discount, when one applied (else ListCost is its cost). */
export function toFocusRow(e: UsageEntry, listCost?: string, attributor?: Attributor): FocusRow {
  const start = new Date(e.ts);
  const cost = e.cost_usd ?? '0';
  const tokens = e.input_tokens + e.output_tokens;
  const quantity = tokens > 0 ? tokens : e.web_search_requests > 0 ? e.web_search_requests : null;
  const unit = tokens > 0 ? 'Tokens' : e.web_search_requests > 0 ? 'Requests' : null;
  const isUsage = CHARGE_CATEGORY[e.charge_category] === 'Usage';
  const chargeClass = e.description !== null && /^correction\b/i.test(e.description) ? 'Correction' : null;
  // FOCUS 1.2 PricingQuantity/PricingUnit: MUST NOT be null on Usage or Purchase unless a Correction.
  const oneCharge = quantity === null && (isUsage || CHARGE_CATEGORY[e.charge_category] === 'Purchase') && chargeClass === null;
  const tags = focusTags(e, attributor);
  return {
    BilledCost: cost,
    BillingAccountId: e.account ?? e.provider,
    BillingAccountName: e.account ?? e.provider,
    BillingCurrency: e.currency,
    BillingPeriodEnd: focusTime(monthStart(start, 1)),
    BillingPeriodStart: focusTime(monthStart(start)),
    ChargeCategory: CHARGE_CATEGORY[e.charge_category],
    ChargeClass: chargeClass,
    ChargeDescription: e.description ?? (e.model === null ? `${e.provider} ${e.charge_category}` : `${e.provider} ${e.model} usage`),
    ChargeFrequency: isUsage ? 'Usage-Based' : e.charge_category === 'support' ? 'Recurring' : 'One-Time',
    ChargePeriodEnd: focusTime(chargeEnd(e, start)),
    ChargePeriodStart: focusTime(start),
    ConsumedQuantity: quantity,
    ConsumedUnit: unit,
    ContractedCost: cost,
    EffectiveCost: cost,
    InvoiceIssuerName: e.provider,
    ListCost: listCost ?? cost,
    PricingQuantity: oneCharge ? 1 : quantity,
    PricingUnit: oneCharge ? 'Units' : unit,
    ProviderName: e.provider,
    PublisherName: e.provider,
    RegionId: e.region,
    RegionName: e.region,
    ServiceCategory: e.charge_category === 'non_llm' ? 'Other' : 'AI and Machine Learning',
    ServiceName: (e.charge_category === 'usage' ? undefined : rawServiceName(e.raw_usage)) ?? SERVICE_NAMES[e.provider] ?? `${e.provider} API`,
    ServiceSubcategory: e.charge_category === 'non_llm' ? null : 'Generative AI',
    SkuId: e.model,
    SkuPriceId: e.price_ref,
    SubAccountId: e.account ?? e.project,
    SubAccountName: e.account === null || e.account === undefined ? e.project : null,
    Tags: Object.keys(tags).length > 0 ? JSON.stringify(tags) : null,
    x_llmfin_provenance: e.provenance,
    x_llmfin_source: e.source,
    x_llmfin_dedupe_key: e.dedupe_key,
    x_llmfin_cost_status: e.cost_status,
    x_llmfin_cost_basis: COST_BASIS[e.cost_status],
    x_llmfin_estimated_cost: e.estimated_cost_usd,
    x_llmfin_reported_cost: e.reported_cost_usd,
    x_llmfin_charge_category: e.charge_category,
    x_llmfin_granularity: e.granularity,
    x_llmfin_requests: e.requests,
    x_llmfin_input_tokens: e.input_tokens,
    x_llmfin_uncached_input_tokens: e.uncached_input_tokens,
    x_llmfin_cache_read_tokens: e.cache_read_tokens,
    x_llmfin_cache_write_5m_tokens: e.cache_write_5m_tokens,
    x_llmfin_cache_write_1h_tokens: e.cache_write_1h_tokens,
    x_llmfin_input_audio_tokens: e.input_audio_tokens,
    x_llmfin_input_image_tokens: e.input_image_tokens,
    x_llmfin_output_tokens: e.output_tokens,
    x_llmfin_reasoning_tokens: e.reasoning_tokens,
    x_llmfin_output_audio_tokens: e.output_audio_tokens,
    x_llmfin_output_image_tokens: e.output_image_tokens,
    x_llmfin_web_search_requests: e.web_search_requests,
    x_llmfin_service_tier: e.service_tier,
    x_llmfin_model: e.model,
    x_llmfin_model_requested: e.model_requested,
    x_llmfin_matched_model: e.matched_model,
    x_llmfin_trace_id: e.trace_id,
    x_llmfin_request_id: e.request_id,
    // Reports and `check` tell an attempt the upstream refused (no tokens) from a request by it.
    x_llmfin_status_code: e.status_code,
  };
}
