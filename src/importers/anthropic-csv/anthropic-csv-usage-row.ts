/**
 * One row of the Console usage download → a provider_usage row priced from the catalogue.
 * Anthropic partitions input (uncached + cache read + 5m and 1h cache writes), so the
 * counts are taken as they are and nothing is subtracted. `model_version` is an API model
 * id. The download does not count requests; `web_search_count` is the server-side web
 * searches, priced per search on top of the tokens.
 */
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import { buildEntry } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import { wholeNumber } from '../openai-csv/csv-cells.js';
import type { CsvCells } from './anthropic-csv-columns.js';
import { longContextNote, orNull, regionOf, scopedAccount, tierOf, usagePeriod, type RowProblem } from './anthropic-csv-values.js';

const COUNTS = [
  'usage_input_tokens_no_cache', 'usage_input_tokens_cache_read', 'usage_input_tokens_cache_write_5m', 'usage_input_tokens_cache_write_1h',
  'usage_output_tokens', 'web_search_count',
] as const;

/** The row's ledger entry, a problem, or 'empty' for a row with no model and no counts. */
export function usageRowEntry(cells: CsvCells, record: Record<string, string>, ctx: ImportContext, uniqueKey: (key: string) => string): NewUsageEntry | RowProblem | 'empty' {
  const model = cells.text('model_version');
  if (model === '' && COUNTS.every((c) => cells.text(c) === '')) return 'empty';
  const n: Record<string, number> = {};
  for (const c of COUNTS) {
    const v = wholeNumber(cells.text(c));
    if (!v.ok) return { column: cells.column(c), message: v.message };
    n[c] = v.value ?? 0;
  }
  const period = usagePeriod(cells);
  if ('message' in period) return period;
  const workspace = cells.text('workspace');
  const apiKey = cells.text('api_key');
  const longContext = longContextNote(cells);
  const identity = ['usage_date_utc', 'model_version', 'api_key', 'workspace', 'usage_type', 'context_window', 'inference_geo', 'speed', 'service_tier'].map((c) => cells.text(c));
  return buildEntry(
    {
      source: 'anthropic-csv',
      provenance: 'provider_usage',
      dedupeKey: uniqueKey(['anthropic-csv', 'usage', ...identity].join('|')),
      provider: 'anthropic',
      ts: period.ts,
      tsEnd: period.tsEnd,
      granularity: period.granularity,
      model: orNull(model),
      account: scopedAccount('usage', workspace),
      serviceTier: tierOf(cells),
      region: regionOf(cells),
      requests: 0,
      // The band says every request of the row was above 200k: priced at those rates.
      longContext: longContext !== null,
      usage: {
        input: n.usage_input_tokens_no_cache!,
        cacheRead: n.usage_input_tokens_cache_read!,
        cacheWrite5m: n.usage_input_tokens_cache_write_5m!,
        cacheWrite1h: n.usage_input_tokens_cache_write_1h!,
        output: n.usage_output_tokens!,
        webSearches: n.web_search_count!,
      },
      description: longContext ? `${longContext}: priced at long-context rates` : null,
      dims: { workspace: orNull(workspace), api_key: orNull(apiKey) },
      raw: record,
    },
    ctx,
  );
}
