/**
 * OpenAI Costs API exports (organization/costs): what OpenAI billed, per day, project
 * and line item. Amounts arrive as JSON numbers in dollars; they are taken as their
 * shortest decimal text (0.06 stays "0.06"), which is how the API writes them.
 */
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { buildEntry } from '../entry-builder.js';
import { bucketTimes, granularityOf, readPages, str } from '../openai-usage/openai-pages.js';
import { pageItems } from '../json-pages.js';
import type { ServiceTier } from '../../pricing/catalogue-schema.js';

export const openaiCostsImporter: Importer = {
  id: 'openai-costs',
  description: 'OpenAI Costs API JSON (organization/costs): billed dollars per day, project and line item',
  obtain: 'GET https://api.openai.com/v1/organization/costs?start_time=…&group_by=line_item,project_id with an admin key; save each page',
  provenance: 'billed',
  replacesPeriod: true,
  // The dashboard's CSV export and the API pages are the same numbers: a period imported from both counts twice.
  sameTrafficAs: 'openai-csv',
  accountOption: 'prefix',
  detect({ head }) {
    if (/"object"\s*:\s*"organization\.costs\.result"/.test(head)) return { ok: true };
    return { ok: false, reason: 'no "organization.costs.result" objects' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    yield* pageItems(input.fileName, readPages(await input.text()), bucketTimes, (r, bucket, line) => costItem(r, bucket, line, 'openai-costs', ctx));
  },
};

/** One Costs API result (or a flattened CSV row of it) as a billed ledger row or an issue. */
export function costItem(r: Record<string, unknown>, bucket: { start_time: number; end_time: number }, line: number, source: string, ctx: ImportContext): ImportItem {
  const amount = (r.amount ?? {}) as { value?: unknown; currency?: unknown };
  const value = typeof amount.value === 'number' ? String(amount.value) : typeof amount.value === 'string' ? amount.value.trim() : null;
  // Any decimal form, exponents with a sign included (a spreadsheet saves 0.00015 as 1.5E-04, 150 as 1.5E+02).
  if (value === null || !/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(value)) {
    return { kind: 'issue', line, column: 'amount.value', message: `expected a dollar amount, got ${JSON.stringify(amount.value ?? null)}` };
  }
  const currency = String(amount.currency ?? 'usd').toUpperCase();
  if (currency !== 'USD') return { kind: 'issue', line, column: 'amount.currency', message: `expected usd, got ${JSON.stringify(amount.currency)}` };
  const lineItem = str(r.line_item);
  // "gpt-4o-2024-08-06, input" → the model, whatever the token component ("cached input",
  // "batch output", "audio input" of a realtime model…); other line items (web search,
  // tools) keep no model.
  const comma = lineItem?.indexOf(',') ?? -1;
  const model = lineItem && comma > 0 && /\b(input|output|batch|flex|priority)\b/i.test(lineItem.slice(comma + 1)) ? lineItem.slice(0, comma).trim() : null;
  // "…, batch input": the tier the line was billed at, as the usage API's `batch` gives it.
  const serviceTier = model === null ? undefined : tierOf(lineItem!);
  const entry = buildEntry(
    {
      source,
      provenance: 'billed',
      dedupeKey: [source, bucket.start_time, bucket.end_time, r.project_id, r.api_key_id, lineItem].map((v) => String(v ?? '')).join('|'),
      provider: 'openai',
      ts: new Date(bucket.start_time * 1000).toISOString(),
      tsEnd: new Date(bucket.end_time * 1000).toISOString(),
      granularity: granularityOf(bucket.end_time - bucket.start_time),
      model,
      account: str(r.project_id) ?? str(r.organization_id),
      serviceTier,
      requests: 0,
      billedUsd: value,
      description: lineItem ?? 'OpenAI API (no line item: export grouped by line_item for detail)',
      dims: { api_key: str(r.api_key_id), project: str(r.project_id) },
      raw: r,
    },
    ctx,
  );
  return { kind: 'entry', line, entry };
}

/** The service tier a line item's component names ("gpt-4o-mini, batch input" → batch), or none (standard). */
function tierOf(lineItem: string): ServiceTier | undefined {
  const component = lineItem.slice(lineItem.indexOf(',') + 1).toLowerCase();
  return /\bbatch\b/.test(component) ? 'batch' : /\bflex\b/.test(component) ? 'flex' : /\bpriority\b/.test(component) ? 'priority' : undefined;
}
