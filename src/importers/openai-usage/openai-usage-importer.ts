/**
 * OpenAI Usage API exports (organization/usage/completions, embeddings, moderations,
 * audio, images, web_search_calls, …): token counts per bucket, priced from the catalogue.
 * OpenAI counts cached tokens inside input_tokens; cached audio and image tokens are inside
 * the cached count, and input_audio_tokens / input_image_tokens count only the uncached
 * ones, so each token is priced once. Web search calls are billed per call on top of the tokens, which the
 * completions rows already carry: a web_search_calls row holds the calls alone.
 */
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { buildEntry } from '../entry-builder.js';
import { bucketTimes, granularityOf, int, readPages, str } from './openai-pages.js';
import { pageItems } from '../json-pages.js';

const TOKEN_KINDS: Record<string, string> = {
  'organization.usage.completions.result': 'completions',
  'organization.usage.embeddings.result': 'embeddings',
  'organization.usage.moderations.result': 'moderations',
};

/** The web search calls' result object: the API's, and the dashboard CSV's named after its file. */
const WEB_SEARCH_KINDS = new Set(['web_searches', 'web_search_calls']);

export const openaiUsageImporter: Importer = {
  id: 'openai-usage',
  description: 'OpenAI Usage API JSON (completions, embeddings, moderations, audio, images…; one page, many pages, or an array)',
  obtain: 'GET https://api.openai.com/v1/organization/usage/completions?start_time=…&bucket_width=1d&group_by=model,project_id with an admin key; save each page',
  provenance: 'provider_usage',
  replacesPeriod: true,
  // The dashboard's CSV export and the API pages are the same numbers: a period imported from both counts twice.
  sameTrafficAs: 'openai-csv',
  accountOption: 'prefix',
  kindInAccount: true,
  groupOwnsUsage: true,
  detect({ head }) {
    if (/"object"\s*:\s*"organization\.usage\.[a-z_]+\.result"/.test(head)) return { ok: true };
    return { ok: false, reason: 'no "organization.usage.*.result" objects' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    yield* pageItems(input.fileName, readPages(await input.text()), bucketTimes, (r, bucket, line) => {
      const item = usageItem(r, bucket, line, 'openai-usage', ctx);
      // A corrected export replaces rows of its source and account over its period; the
      // usage kind is part of the account so that an embeddings page never sweeps away
      // the completions rows of the same project and days. The project has its own dimension.
      if (item.kind !== 'entry') return item;
      const kind = String(r.object ?? '').replace(/^organization\.usage\.|\.result$/g, '');
      return { ...item, entry: { ...item.entry, account: item.entry.account ? `${kind}:${item.entry.account}` : kind } };
    });
  },
};

/** The counts a Usage API result may carry, each read as a whole number. */
const COUNT_FIELDS = [
  'input_tokens', 'output_tokens', 'input_cached_tokens', 'input_cache_write_tokens', 'input_audio_tokens', 'input_cached_audio_tokens',
  'input_image_tokens', 'input_cached_image_tokens', 'output_audio_tokens', 'output_image_tokens', 'num_model_requests', 'num_sessions', 'num_images',
  'num_requests',
] as const;

/** One Usage API result (or a flattened CSV row of it) as a ledger row or an issue. */
export function usageItem(r: Record<string, unknown>, bucket: { start_time: number; end_time: number }, line: number, source: string, ctx: ImportContext): ImportItem {
  const object = String(r.object ?? '');
  if (!object.startsWith('organization.usage.')) {
    return { kind: 'issue', line, column: 'object', message: `expected an organization.usage.*.result, got ${JSON.stringify(r.object ?? null)}` };
  }
  const kind = TOKEN_KINDS[object] ?? object.replace(/^organization\.usage\.|\.result$/g, '');
  // A count that is there must be one: read as 0, "300" or -5 would price the row low, silently.
  for (const field of COUNT_FIELDS) {
    const v = r[field];
    if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
      return { kind: 'issue', line, column: field, message: `expected a whole number, got ${JSON.stringify(v)}` };
    }
  }
  const model = str(r.model);
  const batch = r.batch === true;
  const tier = str(r.service_tier);
  const serviceTier = batch ? 'batch' : tier === 'flex' || tier === 'priority' ? tier : undefined;
  const tokenRow = kind in { completions: 1, embeddings: 1, moderations: 1 };
  const searchRow = WEB_SEARCH_KINDS.has(kind);
  const keyParts = [source, kind, bucket.start_time, bucket.end_time, r.project_id, r.user_id, r.api_key_id, model, r.batch, r.service_tier, r.size, r.source];
  // Web searches can be grouped by search context size too; other kinds keep the keys they always had.
  if (searchRow) keyParts.push(r.context_level, r.api_source);
  const dedupeKey = keyParts.map((v) => String(v ?? '')).join('|');
  const entry = buildEntry(
    {
      source,
      provenance: 'provider_usage',
      dedupeKey,
      provider: 'openai',
      ts: new Date(bucket.start_time * 1000).toISOString(),
      tsEnd: new Date(bucket.end_time * 1000).toISOString(),
      granularity: granularityOf(bucket.end_time - bucket.start_time),
      model,
      account: str(r.project_id),
      serviceTier,
      // The model requests that searched are counted on the completions rows already.
      requests: searchRow ? 0 : int(r.num_model_requests) || int(r.num_sessions) || int(r.num_images),
      usage: searchRow
        ? { input: 0, output: 0, webSearches: int(r.num_requests) }
        : tokenRow
        ? {
            input: int(r.input_tokens),
            output: int(r.output_tokens),
            cacheRead: int(r.input_cached_tokens),
            cacheWrite5m: int(r.input_cache_write_tokens),
            // Uncached already: the field set that has input_cached_audio_tokens defines
            // input_audio_tokens as "uncached audio input tokens" (the cached ones are in
            // input_cached_tokens), and the older set had no cached audio or image count.
            inputAudio: int(r.input_audio_tokens),
            inputImage: int(r.input_image_tokens),
            outputAudio: int(r.output_audio_tokens),
            outputImage: int(r.output_image_tokens),
          }
        : undefined,
      description: tokenRow || searchRow
        ? model === null
          ? 'no model: export the usage grouped by model to price it'
          : null
        : `${kind}: not priced per token (amounts are in the costs export)`,
      dims: { api_key: str(r.api_key_id), user: str(r.user_id), project: str(r.project_id) },
      raw: r,
    },
    ctx,
  );
  return { kind: 'entry', line, entry };
}
