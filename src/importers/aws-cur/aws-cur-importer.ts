/**
 * AWS Cost and Usage Report importer: legacy CUR and CUR 2.0 (Data Exports), CSV or
 * .csv.gz. Every line item is kept as billed money, so that the ledger's billed total
 * for an account and month matches the invoice; Amazon Bedrock token lines also carry
 * model, tokens and llmfin's estimate beside the bill (cur-row.ts).
 *
 * A CUR file is the whole truth for its accounts and billing period, and AWS rewrites it
 * during the month: a newer file replaces what an older one said (replacesPeriod). The
 * period replaced is the billing period the rows state (`bill/BillingPeriodStartDate` to
 * `…EndDate`), not only their own span: a delivery without the month-long lines of the
 * one before (a fee, a credit dropped) still speaks for the month, whose earlier lines
 * would otherwise be left beside it as a coarser export of its hours, and refused.
 */
import type { Importer, ImportItem } from '../importer.js';
import { modelResolver, parseUtc, uniqueKeys } from './billing-values.js';
import { checkedCsv, headerOf } from './checked-csv.js';
import { curColumns, curHeaderProblem, type CurColumns } from './cur-columns.js';
import { curRowToEntry } from './cur-row.js';

export const awsCurImporter: Importer = {
  id: 'aws-cur',
  description: 'AWS Cost and Usage Report (legacy CUR or CUR 2.0, CSV or .csv.gz): Bedrock token lines with model and tokens, every other line kept as billed',
  obtain: 'AWS Billing and Cost Management → Data Exports (CUR 2.0 or legacy CUR, CSV) → the files AWS writes to your S3 bucket for the month',
  provenance: 'billed',
  replacesPeriod: true,
  accountOption: { refused: 'every CUR row names its AWS account (line_item_usage_account_id or the payer), which no other organisation\'s bill shares' },
  detect({ head }) {
    const problem = curHeaderProblem(headerOf(head));
    return problem ? { ok: false, reason: `no "${problem.column}" column` } : { ok: true };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    let cols: CurColumns | undefined;
    const uniqueKey = uniqueKeys();
    const resolve = modelResolver(ctx.pricer);
    const check = (header: string[]) => {
      cols = curColumns(header);
      return curHeaderProblem(header);
    };
    // The billing periods the rows state, earliest start and latest end.
    let from: Date | undefined;
    let to: Date | undefined;
    for await (const item of checkedCsv(input, check)) {
      if (item.kind === 'issue') {
        yield item;
        continue;
      }
      const result = curRowToEntry(item.record, { ctx, cols: cols!, uniqueKey, resolve });
      if ('message' in result) {
        yield { kind: 'issue', line: item.line, column: result.column, message: result.message };
        continue;
      }
      yield { kind: 'entry', line: item.line, entry: result };
      const start = parseUtc(item.record[cols!.name('billingPeriodStart') ?? '']);
      const end = parseUtc(item.record[cols!.name('billingPeriodEnd') ?? '']);
      // A period cell that does not read leaves the file's span to its rows, as before the columns were read.
      if (start === undefined || end === undefined || !(end > start)) continue;
      if (from === undefined || start < from) from = start;
      if (to === undefined || end > to) to = end;
    }
    if (from !== undefined && to !== undefined) yield { kind: 'period', period: { from: from.toISOString(), to: to.toISOString() } };
  },
};
