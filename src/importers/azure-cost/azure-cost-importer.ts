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
import { azureColumns, azureHeaderProblem, azureQuantityProblem, type AzureColumns } from './azure-columns.js';
import { azureRowToEntry } from './azure-row.js';
import { AzureDateOrder, MAX_WAITING, type DateOrder } from './azure-dates.js';

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
    let dates: AzureDateOrder | undefined;
    const uniqueKey = uniqueKeys();
    const resolve = modelResolver(ctx.pricer);
    const check = (header: string[]) => {
      cols = azureColumns(header);
      dates = new AzureDateOrder(header);
      return azureHeaderProblem(header) ?? azureQuantityProblem(header);
    };
    const item = (record: Record<string, string>, line: number, dateOrder: DateOrder): ImportItem => {
      const result = azureRowToEntry(record, { ctx, cols: cols!, uniqueKey, resolve, dateOrder });
      return 'message' in result ? { kind: 'issue', line, column: result.column, message: result.message } : { kind: 'entry', line, entry: result };
    };
    // Rows whose date reads as two days, until a date of the file says which order it is in.
    let waiting: Array<{ record: Record<string, string>; line: number }> = [];
    const refuseWaiting = function* (): Generator<ImportItem> {
      for (const w of waiting) yield { kind: 'issue', line: w.line, ...dates!.undecided(w.record) };
      waiting = [];
    };
    for await (const row of checkedCsv(input, check)) {
      if (row.kind === 'issue') {
        yield row;
        continue;
      }
      const verdict = dates!.see(row.record, row.line);
      if (verdict.kind === 'refuse') {
        yield { kind: 'issue', line: row.line, column: verdict.column, message: verdict.message };
        continue;
      }
      if (verdict.kind === 'wait') {
        waiting.push(row);
        if (waiting.length >= MAX_WAITING) yield* refuseWaiting();
        continue;
      }
      if (waiting.length > 0 && dates!.order !== undefined) {
        for (const w of waiting) yield item(w.record, w.line, dates!.order);
        waiting = [];
      }
      yield item(row.record, row.line, verdict.order);
    }
    yield* refuseWaiting();
  },
};
