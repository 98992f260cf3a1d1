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

/** An invoice's total in ticks: as given, else its `total_usd`. */
const totalTicksOf = (invoice: InvoiceInput): bigint | number => invoice.total_ticks ?? usdToTicks(dec(invoice.total_usd));
/** A line's amount in ticks: as given, else its `amount_usd`. */
const amountTicksOf = (line: InvoiceLineInput): bigint | number => line.amount_ticks ?? usdToTicks(dec(line.amount_usd));

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
  const row = { ...invoice, total_ticks: totalTicksOf(invoice) };
  const lineRows = lines.map((line, i) => ({
    ...line,
    line_no: line.line_no ?? i + 1,
    amount_ticks: amountTicksOf(line),
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

/** What an import did with one invoice of its file. */
export type ImportedInvoiceStatus = 'recorded' | 'already-recorded' | 'replaced';

/**
 * An invoice from an import: recorded when the ledger does not have its (provider,
 * number); left alone when it has it with the same numbers (the same file again); and
 * replaced, lines and all, when they differ — a corrected invoice file (a mistyped amount
 * fixed) must not be reported as recorded while the ledger keeps the old total.
 */
/** An invoice a batch's corrected version replaced, and the batch that had recorded it (null: recorded without one). */
export interface ReplacedInvoice {
  provider: string;
  number: string;
  batch_id: number | null;
}

/** A batch's `invoices_replaced` column, read: the invoices its corrected versions replaced. */
export function replacedInvoicesOf(column: string | null | undefined): ReplacedInvoice[] {
  return column ? (JSON.parse(column) as ReplacedInvoice[]) : [];
}

export async function writeImportedInvoice(trx: Kysely<LedgerDatabase>, invoice: InvoiceInput, lines: readonly InvoiceLineInput[]): Promise<ImportedInvoiceStatus> {
  const existing = await trx
    .selectFrom('invoices')
    .select(['id', 'batch_id', 'account', 'currency', 'period_start', 'period_end', 'total_ticks', 'subtotal_usd', 'credits_usd', 'tax_usd', 'issued_at'])
    .where('provider', '=', invoice.provider)
    .where('number', '=', invoice.number)
    .executeTakeFirst();
  if (existing === undefined) {
    await writeInvoice(trx, invoice, lines);
    return 'recorded';
  }
  const ticks = (v: unknown): string => String(v);
  const amount = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : dec(v).toFixed());
  const old = await trx.selectFrom('invoice_lines').select(['kind', 'amount_ticks', 'description', 'model']).where('invoice_id', '=', existing.id).orderBy('line_no').execute();
  const same =
    ticks(existing.total_ticks) === ticks(totalTicksOf(invoice)) &&
    existing.account === (invoice.account ?? null) &&
    // The same numbers in another currency are another amount: `currency: eur` fixed to usd must count.
    existing.currency === (invoice.currency ?? 'USD') &&
    existing.period_start === invoice.period_start &&
    existing.period_end === invoice.period_end &&
    (existing.issued_at ?? null) === (invoice.issued_at ?? null) &&
    amount(existing.subtotal_usd) === amount(invoice.subtotal_usd) &&
    amount(existing.credits_usd) === amount(invoice.credits_usd) &&
    amount(existing.tax_usd) === amount(invoice.tax_usd) &&
    old.length === lines.length &&
    old.every((line, i) => {
      const now = lines[i]!;
      return line.kind === now.kind && (line.description ?? null) === (now.description ?? null) && (line.model ?? null) === (now.model ?? null) &&
        ticks(line.amount_ticks) === ticks(amountTicksOf(now));
    });
  if (same) return 'already-recorded';
  await writeInvoice(trx, invoice, lines, { replace: true });
  // The earlier version is gone: its batch's undo would not bring it back, so the batch says whose it was.
  if (invoice.batch_id !== null && invoice.batch_id !== undefined && existing.batch_id !== invoice.batch_id) {
    const batch = await trx.selectFrom('import_batches').select('invoices_replaced').where('id', '=', invoice.batch_id).executeTakeFirst();
    const list = replacedInvoicesOf(batch?.invoices_replaced);
    list.push({ provider: invoice.provider, number: invoice.number, batch_id: existing.batch_id });
    await trx.updateTable('import_batches').set({ invoices_replaced: JSON.stringify(list) }).where('id', '=', invoice.batch_id).execute();
  }
  return 'replaced';
}
