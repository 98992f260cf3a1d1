/**
 * Anthropic Console CSV downloads (platform.claude.com → Usage / Cost → Export): the usage
 * file (tokens per day or hour, priced from the catalogue) and the cost file (billed
 * dollars per day, model, token type). Tiers, US-only inference, long-context bands and
 * the workspace/key dimensions are mapped as the Admin API importers map them; the Console
 * gives workspace and key NAMES where the API gives ids.
 *
 * A corrected download replaces its period (replacesPeriod). The ledger replaces per
 * source and account, so each row's account names its file kind beside the workspace
 * ("usage:Support", "cost:Support"): importing the cost file never sweeps away the usage
 * rows of the same days.
 */
import type { Importer, ImportItem } from '../importer.js';
import { modelResolver, uniqueKeys } from '../aws-cur/billing-values.js';
import { checkedCsv, headerOf } from '../aws-cur/checked-csv.js';
import { anthropicCsvKind, csvCells, missingCacheCount, type AnthropicCsvKind } from './anthropic-csv-columns.js';
import { costRowEntry } from './anthropic-csv-cost-row.js';
import { usageRowEntry } from './anthropic-csv-usage-row.js';

export const anthropicCsvImporter: Importer = {
  id: 'anthropic-csv',
  description: 'Anthropic Console CSV downloads: the usage export (tokens with 5m/1h cache writes per day or hour, model, workspace, key) and the cost export (billed dollars per token type)',
  obtain: 'platform.claude.com → Usage (or Cost) → Export → CSV',
  provenance: 'mixed',
  replacesPeriod: true,
  // The dashboard's CSV export and the API pages are the same numbers: a period imported from both counts twice.
  sameTrafficAs: ['anthropic-cost', 'anthropic-usage'],
  accountOption: 'prefix',
  kindInAccount: true,
  groupOwnsUsage: true,
  detect({ head }) {
    const kind = anthropicCsvKind(headerOf(head));
    return typeof kind === 'string' ? { ok: true } : { ok: false, reason: 'no "usage_date_utc" column with "usage_input_tokens_no_cache" or "cost_usd"' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    let kind: AnthropicCsvKind | undefined;
    const check = (header: string[]) => {
      const k = anthropicCsvKind(header);
      if (typeof k !== 'string') return k;
      kind = k;
      return k === 'usage' ? missingCacheCount(header) : undefined;
    };
    const uniqueKey = uniqueKeys();
    const resolve = modelResolver(ctx.pricer);
    for await (const item of checkedCsv(input, check)) {
      if (item.kind === 'issue') {
        yield item;
        continue;
      }
      const cells = csvCells(item.record);
      const result = kind === 'cost' ? costRowEntry(cells, item.record, { ctx, uniqueKey, resolve }) : usageRowEntry(cells, item.record, ctx, uniqueKey);
      if (result === 'empty') continue;
      if ('message' in result) yield { kind: 'issue', line: item.line, column: result.column, message: result.message };
      else yield { kind: 'entry', line: item.line, entry: result };
    }
  },
};
