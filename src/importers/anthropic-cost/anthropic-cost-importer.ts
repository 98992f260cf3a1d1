/**
 * Anthropic Admin API cost reports (cost_report): what Anthropic billed per day,
 * workspace and description. `amount` is a decimal string in CENTS ("123.45" = $1.2345);
 * it is divided by 100 exactly.
 */
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { buildEntry } from '../entry-builder.js';
import { bucketTime, bucketTimes, granularityOf, readAnthropicPages, str, workspaceOf, type AnthropicBucket } from '../anthropic-usage/anthropic-pages.js';
import { anthropicRegion, anthropicServiceTier } from '../anthropic-usage/anthropic-service-tier.js';
import { pageItems } from '../json-pages.js';
import { dec } from '../../shared/money.js';

export const anthropicCostImporter: Importer = {
  id: 'anthropic-cost',
  description: 'Anthropic Admin API cost report JSON (cost_report): billed amounts (decimal cents) per day, workspace and description',
  obtain: 'GET https://api.anthropic.com/v1/organizations/cost_report?starting_at=…&group_by[]=description&group_by[]=workspace_id with an admin key; save each page',
  provenance: 'billed',
  replacesPeriod: true,
  // The dashboard's CSV export and the API pages are the same numbers: a period imported from both counts twice.
  sameTrafficAs: 'anthropic-csv',
  accountOption: 'prefix',
  groupOwnsUsage: true,
  detect({ head }) {
    if (/"starting_at"\s*:/.test(head) && /"amount"\s*:/.test(head) && /"cost_type"\s*:|"currency"\s*:\s*"USD"/.test(head) && !/"uncached_input_tokens"\s*:/.test(head)) return { ok: true };
    return { ok: false, reason: 'no "starting_at" buckets with "amount" and "cost_type"' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    yield* pageItems(input.fileName, readAnthropicPages(await input.text()), bucketTimes, (r, bucket, line) => costResultItem(r, bucket, line, ctx));
  },
};

/** One cost report result as a billed ledger row, or the issue that keeps it out. */
function costResultItem(r: Record<string, unknown>, bucket: AnthropicBucket, line: number, ctx: ImportContext): ImportItem {
  const amount = typeof r.amount === 'string' ? r.amount : typeof r.amount === 'number' ? String(r.amount) : null;
  if (amount === null || !/^-?\d+(\.\d+)?$/.test(amount)) {
    // A bad result is one row's issue: by default it aborts the file, and with
    // --skip-invalid the results after it are still good rows to import.
    return { kind: 'issue', line, column: 'amount', message: `expected a decimal string of cents such as "123.45", got ${JSON.stringify(r.amount ?? null)}` };
  }
  const currency = str(r.currency) ?? 'USD';
  if (currency.toUpperCase() !== 'USD') {
    return { kind: 'issue', line, column: 'currency', message: `expected USD, got ${JSON.stringify(currency)}` };
  }
  const description = str(r.description) ?? [str(r.cost_type), str(r.token_type)].filter(Boolean).join(' ') ?? null;
  const entry = buildEntry(
    {
      source: 'anthropic-cost',
      provenance: 'billed',
      dedupeKey: ['anthropic-cost', bucket.starting_at, bucket.ending_at, r.workspace_id, r.description, r.cost_type, r.token_type, r.model, r.service_tier, r.context_window, r.inference_geo].map((v) => String(v ?? '')).join('|'),
      provider: 'anthropic',
      ts: bucketTime(bucket.starting_at),
      tsEnd: bucketTime(bucket.ending_at),
      granularity: granularityOf(bucket.starting_at, bucket.ending_at),
      model: str(r.model),
      account: str(r.workspace_id),
      // As the usage report gives them, so that a tier's or region's billed dollars group with its usage.
      serviceTier: anthropicServiceTier(r),
      region: anthropicRegion(r),
      requests: 0,
      billedUsd: dec(amount).div(100).toFixed(),
      description: description || 'Anthropic API (export grouped by description for detail)',
      dims: { workspace: workspaceOf(r.workspace_id) },
      raw: r,
    },
    ctx,
  );
  return { kind: 'entry', line, entry };
}
