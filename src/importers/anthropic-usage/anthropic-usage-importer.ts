/**
 * Anthropic Admin API usage reports (usage_report/messages): tokens per bucket, priced
 * from the catalogue. Anthropic partitions input (uncached + cache read + 5m and 1h cache
 * writes), so nothing is subtracted; batch, priority and flex are service tiers,
 * `inference_geo: "us"` carries the US-only uplift, and `server_tool_use` counts the web
 * searches billed per search on top of the tokens.
 */
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { buildEntry } from '../entry-builder.js';
import { bucketTime, bucketTimes, count, granularityOf, readAnthropicPages, str, workspaceOf, type AnthropicBucket } from './anthropic-pages.js';
import { anthropicRegion, anthropicServiceTier } from './anthropic-service-tier.js';
import { pageItems } from '../json-pages.js';


export const anthropicUsageImporter: Importer = {
  id: 'anthropic-usage',
  description: 'Anthropic Admin API usage report JSON (usage_report/messages): tokens with 5m/1h cache writes, service tier, geo, workspace, key',
  obtain: 'GET https://api.anthropic.com/v1/organizations/usage_report/messages?starting_at=…&bucket_width=1d&group_by[]=model&group_by[]=workspace_id with an admin key; save each page',
  provenance: 'provider_usage',
  replacesPeriod: true,
  // The dashboard's CSV export and the API pages are the same numbers: a period imported from both counts twice.
  sameTrafficAs: 'anthropic-csv',
  accountOption: 'prefix',
  groupOwnsUsage: true,
  detect({ head }) {
    if (/"uncached_input_tokens"\s*:/.test(head) && /"starting_at"\s*:/.test(head)) return { ok: true };
    return { ok: false, reason: 'no "starting_at" buckets with "uncached_input_tokens"' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    yield* pageItems(input.fileName, readAnthropicPages(await input.text()), bucketTimes, (r, bucket, line) => usageResultItem(r, bucket, line, ctx));
  },
};

/** One usage report result as a ledger row, or the issue that keeps it out. */
function usageResultItem(r: Record<string, unknown>, bucket: AnthropicBucket, line: number, ctx: ImportContext): ImportItem {
  const creation = (r.cache_creation ?? {}) as Record<string, unknown>;
  const tools = (r.server_tool_use ?? {}) as Record<string, unknown>;
  const fields: Array<[string, unknown]> = [
    ['uncached_input_tokens', r.uncached_input_tokens],
    ['cache_read_input_tokens', r.cache_read_input_tokens],
    ['cache_creation.ephemeral_5m_input_tokens', creation.ephemeral_5m_input_tokens],
    ['cache_creation.ephemeral_1h_input_tokens', creation.ephemeral_1h_input_tokens],
    ['output_tokens', r.output_tokens],
    // null or absent when the bucket ran no server tools.
    ['server_tool_use.web_search_requests', tools.web_search_requests ?? 0],
  ];
  const bad = fields.find(([, v]) => count(v) === undefined);
  if (bad) {
    // continue, not return: with --skip-invalid the results after a bad one are still good rows.
    return { kind: 'issue', line, column: bad[0], message: `expected a whole number${bad[0].startsWith('server_tool_use') ? '' : ' of tokens'}, got ${JSON.stringify(bad[1])}` };
  }
  const [uncached, read, w5m, w1h, output, webSearches] = fields.map(([, v]) => count(v)!) as [number, number, number, number, number, number];
  const tierName = str(r.service_tier);
  const geo = str(r.inference_geo);
  const contextWindow = str(r.context_window);
  // The report's band above 200k: every request of the row was a long-context one.
  const longContext = contextWindow !== null && contextWindow !== '0-200k';
  const model = str(r.model);
  const entry = buildEntry(
    {
      source: 'anthropic-usage',
      provenance: 'provider_usage',
      dedupeKey: ['anthropic', bucket.starting_at, bucket.ending_at, r.api_key_id, r.workspace_id, model, tierName, contextWindow, geo, r.speed, r.account_id].map((v) => String(v ?? '')).join('|'),
      provider: 'anthropic',
      ts: bucketTime(bucket.starting_at),
      tsEnd: bucketTime(bucket.ending_at),
      granularity: granularityOf(bucket.starting_at, bucket.ending_at),
      model,
      account: str(r.workspace_id),
      serviceTier: anthropicServiceTier(r),
      region: anthropicRegion(r),
      // The report does not count requests; its context-window band says which rows
      // were long-context requests, priced at those rates.
      requests: 0,
      longContext,
      usage: { input: uncached, cacheRead: read, cacheWrite5m: w5m, cacheWrite1h: w1h, output, webSearches },
      description: longContext ? `context window ${contextWindow}: priced at long-context rates` : null,
      dims: { workspace: workspaceOf(r.workspace_id), api_key: str(r.api_key_id) },
      raw: r,
    },
    ctx,
  );
  return { kind: 'entry', line, entry };
}
