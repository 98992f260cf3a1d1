/**
 * Builds ledger rows the same way in every importer: every column present (nulls and
 * zeros where the source says nothing), token-only usage priced from the catalogue,
 * provider-reported money kept as billed with llmfin's estimate beside it.
 */
import type { ChargeCategory, NewUsageEntry, Provenance } from '../ledger/ledger-schema.js';
import type { ServiceTier, UsageConvention } from '../pricing/catalogue-schema.js';
import type { ReportedUsage } from '../pricing/token-usage.js';
import { dec, usdToTicks } from '../shared/money.js';
import type { ImportContext } from './importer.js';
import { priceRow } from './price-entry.js';

export interface EntryFields {
  source: string;
  provenance: Provenance;
  dedupeKey: string;
  provider: string;
  ts: string;
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
  /** Money the provider reported (decimal text, USD): makes the row billed. */
  billedUsd?: string | undefined;
  chargeCategory?: ChargeCategory | undefined;
  description?: string | null | undefined;
  dims?: Partial<Pick<NewUsageEntry, 'team' | 'feature' | 'customer' | 'agent' | 'project' | 'environment' | 'api_key' | 'workspace' | 'user' | 'trace_id' | 'request_id'>>;
  /** Raw attribution identifiers (tags, labels) kept for attribution rules. */
  tags?: Record<string, string> | undefined;
  /** The numbers as reported, for re-pricing later. */
  raw?: unknown;
  requests?: number | undefined;
}

export function buildEntry(f: EntryFields, ctx: ImportContext): NewUsageEntry {
  const requests = f.requests ?? f.usage?.requests ?? 1;
  const priced =
    f.usage
      ? priceRow(
          ctx.pricer,
          // No model: still run it through, so the tokens are kept on an unpriced row.
          { provider: f.provider, model: f.model ?? '(no model)', at: new Date(f.ts), usage: { ...f.usage, requests }, convention: f.convention, serviceTier: f.serviceTier, region: f.region, offering: f.offering },
          ctx.catalogueVersion,
        )
      : undefined;
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
    raw_usage: f.raw === undefined ? null : JSON.stringify(f.raw),
    currency: 'USD',
    charge_category: f.chargeCategory ?? 'usage',
    team: null,
    feature: null,
    customer: null,
    agent: null,
    project: null,
    environment: null,
    api_key: null,
    workspace: null,
    user: null,
    trace_id: null,
    request_id: null,
    ...f.dims,
    tags: f.tags && Object.keys(f.tags).length > 0 ? JSON.stringify(f.tags) : null,
    created_at: ctx.now.toISOString(),
    ...(priced ?? { cost_usd: null, cost_ticks: null, cost_status: 'unpriced' as const, matched_model: null, offering: null, price_ref: null, catalogue_version: ctx.catalogueVersion, description: null }),
    reported_cost_usd: null,
    estimated_cost_usd: null,
    estimated_cost_ticks: null,
  };
  if (f.billedUsd !== undefined) {
    const billed = dec(f.billedUsd);
    // The provider's money is the row's cost; llmfin's price for the same usage stays beside it.
    entry.estimated_cost_usd = priced?.cost_status === 'priced' ? priced.cost_usd : null;
    entry.estimated_cost_ticks = priced?.cost_status === 'priced' ? priced.cost_ticks : null;
    entry.cost_usd = billed.toFixed();
    entry.cost_ticks = usdToTicks(billed);
    entry.cost_status = 'billed';
    entry.reported_cost_usd = billed.toFixed();
  }
  if (f.description !== undefined && f.description !== null) {
    entry.description = entry.description ? `${f.description}; ${entry.description}` : f.description;
  }
  return entry;
}
