/**
 * OpenAI platform dashboard CSV exports (platform.openai.com/usage → Export): the cost
 * export (billed dollars per day, project and line item) and the usage exports (one file
 * per kind: completions, embeddings, …; tokens priced from the catalogue). Each row is
 * turned into the API result it flattens and handed to the JSON importers' mappers, so a
 * CSV and an API page of the same day give the same rows. Blank rows for empty buckets
 * are skipped; an export of a period with no data (only the time columns) imports nothing.
 *
 * A corrected export replaces its period (replacesPeriod). The ledger replaces per source
 * and account, and one source here holds several kinds of file, so each row's account
 * names its file kind beside the project ("costs:proj_…", "completions:proj_…"): importing
 * the cost export never sweeps away the usage rows of the same days, nor embeddings the
 * completions. The project itself is in the `project` dimension.
 */
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import type { Importer, ImportItem } from '../importer.js';
import { uniqueKeys } from '../aws-cur/billing-values.js';
import { checkedCsv, headerOf } from '../aws-cur/checked-csv.js';
import { costItem } from '../openai-costs/openai-costs-importer.js';
import { usageItem } from '../openai-usage/openai-usage-importer.js';
import { isShape, missingCount, openaiCsvShape, usageKind, type OpenAiCsvShape } from './openai-csv-columns.js';
import { bucketOf, cellsOf, costRecord, isEmptyBucket, usageRecord, type Cells } from './openai-csv-row.js';

const SOURCE = 'openai-csv';

export const openaiCsvImporter: Importer = {
  id: SOURCE,
  description: 'OpenAI dashboard CSV exports: the cost export (billed dollars per day, project and line item) and the usage exports (completions, embeddings…: tokens per day, model, project, key)',
  obtain: 'platform.openai.com/usage → Export (Cost, or a usage kind such as Completions) → CSV',
  provenance: 'mixed',
  replacesPeriod: true,
  // The dashboard's CSV export and the API pages are the same numbers: a period imported from both counts twice.
  sameTrafficAs: ['openai-costs', 'openai-usage'],
  accountOption: 'prefix',
  kindInAccount: true,
  detect({ head }) {
    const shape = openaiCsvShape(headerOf(head));
    return isShape(shape) ? { ok: true } : { ok: false, reason: 'no "amount_value" or "num_model_requests" column beside "start_time"' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    let shape: OpenAiCsvShape | undefined;
    let kind: string | undefined;
    const check = (header: string[]) => {
      const s = openaiCsvShape(header);
      if (!isShape(s)) return s;
      shape = s;
      kind = s.kind === 'usage' ? usageKind(ctx.fileName, header) : undefined;
      if (s.kind === 'usage' && kind === undefined) {
        return { column: 'num_model_requests', message: 'expected a usage file named like completions_usage_….csv or token columns, got neither: cannot tell the usage kind' };
      }
      return kind === undefined ? undefined : missingCount(kind, header);
    };
    const uniqueKey = uniqueKeys();
    for await (const item of checkedCsv(input, check)) {
      if (item.kind === 'issue') {
        yield item;
        continue;
      }
      // Empty buckets, and any row of an export that has only the time columns.
      if (shape?.kind === 'empty' || isEmptyBucket(item.record)) continue;
      const cells = cellsOf(item.record);
      const bucket = bucketOf(cells);
      if ('message' in bucket) {
        yield { kind: 'issue', line: item.line, column: bucket.column, message: bucket.message };
        continue;
      }
      let result: ImportItem;
      let scope: string;
      if (shape?.kind === 'costs') {
        result = costItem(costRecord(cells), bucket, item.line, SOURCE, ctx);
        scope = 'costs';
      } else {
        const usage = usageRecord(cells, kind!);
        if (!usage.ok) {
          yield { kind: 'issue', line: item.line, column: usage.column, message: usage.message };
          continue;
        }
        result = usageItem(usage.record, bucket, item.line, SOURCE, ctx);
        scope = kind!;
      }
      if (result.kind === 'issue') yield { ...result, column: csvColumn(cells, result.column) };
      else if (result.kind === 'entry') yield { ...result, entry: scoped(result.entry, scope, uniqueKey) };
      else yield result;
    }
  },
};

/** The mappers name JSON fields ("amount.currency"); the CSV column is "amount_currency". */
function csvColumn(cells: Cells, field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const name = field.replace(/\./g, '_');
  return cells(name)?.column ?? name;
}

function scoped(entry: NewUsageEntry, scope: string, uniqueKey: (key: string) => string): NewUsageEntry {
  return {
    ...entry,
    account: entry.account ? `${scope}:${entry.account}` : scope,
    // Identical rows in one file are distinct buckets' worth of money, not duplicates to drop.
    dedupe_key: uniqueKey(entry.dedupe_key),
  };
}
