/**
 * Records an invoice and its lines in one transaction. An invoice is identified by
 * (provider, number): importing it again changes nothing unless `replace` is asked
 * for (a corrected or re-issued invoice), which swaps the old one and its lines.
 */
import { dec, usdToTicks } from '../../shared/money.js';
import type { Kysely } from 'kysely';
import type { LedgerDatabase, NewInvoice, NewInvoiceLine } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';

/** An invoice as an importer reads it; `total_ticks` defaults to `total_usd` in ticks. */
export type InvoiceInput = Omit<NewInvoice, 'id' | 'total_ticks'> & { total_ticks?: bigint | number };

/** A line; `line_no` defaults to its position (1-based), `amount_ticks` to `amount_usd` in ticks. */
export type InvoiceLineInput = Omit<NewInvoiceLine, 'id' | 'invoice_id' | 'line_no' | 'amount_ticks'> & {
  line_no?: number;
  amount_ticks?: bigint | number;
};

export interface InsertInvoiceResult {
  invoiceId: number;
  /** False when the invoice was already there and left alone. */
  inserted: boolean;
  /** True when an existing invoice with the same provider and number was replaced. */
  replaced: boolean;
}

/** Inserts `invoice` with `lines`; see the module comment for what happens to an existing one. */
export async function insertInvoice(
  ledger: LedgerStore,
  invoice: InvoiceInput,
  lines: readonly InvoiceLineInput[],
  options: { replace?: boolean } = {},
): Promise<InsertInvoiceResult> {
  // A malformed amount throws inside the transaction, which then writes nothing.
  return ledger.db.transaction().execute((trx) => writeInvoice(trx, invoice, lines, options));
}

/**
 * The writes of `insertInvoice` without a transaction of their own, for callers that
 * already hold one (an import that records invoices with its batch).
 */
export async function writeInvoice(
  trx: Kysely<LedgerDatabase>,
  invoice: InvoiceInput,
  lines: readonly InvoiceLineInput[],
  options: { replace?: boolean } = {},
): Promise<InsertInvoiceResult> {
  const row = { ...invoice, total_ticks: invoice.total_ticks ?? usdToTicks(dec(invoice.total_usd)) };
  const lineRows = lines.map((line, i) => ({
    ...line,
    line_no: line.line_no ?? i + 1,
    amount_ticks: line.amount_ticks ?? usdToTicks(dec(line.amount_usd)),
  }));
  {
    let replaced = false;
    if (options.replace) {
      // A write first, so SQLite takes the write lock at once (see insert-batch.ts).
      const deleted = await trx
        .deleteFrom('invoices')
        .where('provider', '=', invoice.provider)
        .where('number', '=', invoice.number)
        .executeTakeFirst();
      replaced = deleted.numDeletedRows > 0n;
    }
    const created = await trx
      .insertInto('invoices')
      .values(row)
      .onConflict((oc) => oc.columns(['provider', 'number']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (created === undefined) {
      const existing = await trx
        .selectFrom('invoices')
        .select('id')
        .where('provider', '=', invoice.provider)
        .where('number', '=', invoice.number)
        .executeTakeFirstOrThrow();
      return { invoiceId: existing.id, inserted: false, replaced: false };
    }
    if (lineRows.length > 0) {
      await trx
        .insertInto('invoice_lines')
        .values(lineRows.map((line) => ({ ...line, invoice_id: created.id })))
        .execute();
    }
    return { invoiceId: created.id, inserted: true, replaced };
  }
}
