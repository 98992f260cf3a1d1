/**
 * Azure Cost Management export importer: "cost and usage details" CSV (actual or
 * amortized; EA, MCA and pay-as-you-go column sets; gzip too). Every row is kept as billed
 * money so that a subscription's month matches the invoice; Azure OpenAI / Foundry Models
 * token meters also carry model, tokens and llmfin's estimate beside the bill (azure-row.ts).
 *
 * Scheduled exports rewrite month-to-date files, so a newer export replaces what an older
 * one said for the same subscriptions and days (replacesPeriod).
 */
import type { Importer, ImportItem } from '../importer.js';
import { modelResolver, uniqueKeys } from '../aws-cur/billing-values.js';
import { checkedCsv, headerOf } from '../aws-cur/checked-csv.js';
import { azureColumns, azureHeaderProblem, type AzureColumns } from './azure-columns.js';
import { azureRowToEntry } from './azure-row.js';

export const azureCostImporter: Importer = {
  id: 'azure-cost',
  description: 'Azure Cost Management cost details export (EA or MCA, actual or amortized CSV): Azure OpenAI / Foundry token meters with model and tokens, every other row kept as billed',
  obtain: 'Azure portal → Cost Management → Exports → "Cost and usage details (actual)" or "(amortized)", CSV; or Cost analysis → Download → Cost details',
  provenance: 'billed',
  replacesPeriod: true,
  accountOption: { refused: 'every row names its Azure subscription, which no other organisation\'s export shares' },
  detect({ head }) {
    const problem = azureHeaderProblem(headerOf(head));
    return problem ? { ok: false, reason: `no "${problem.column}" column` } : { ok: true };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    let cols: AzureColumns | undefined;
    const uniqueKey = uniqueKeys();
    const resolve = modelResolver(ctx.pricer);
    const check = (header: string[]) => {
      cols = azureColumns(header);
      return azureHeaderProblem(header);
    };
    for await (const item of checkedCsv(input, check)) {
      if (item.kind === 'issue') {
        yield item;
        continue;
      }
      const result = azureRowToEntry(item.record, { ctx, cols: cols!, uniqueKey, resolve });
      if ('message' in result) yield { kind: 'issue', line: item.line, column: result.column, message: result.message };
      else yield { kind: 'entry', line: item.line, entry: result };
    }
  },
};
