/**
 * The invoices recorded in the ledger, one by one, in any currency and credit notes
 * included: what `llmfin export` names when it leaves them out (an invoice is not a
 * ledger row, and no export format carries one).
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger-store.js';
import { invoiceMayMeet } from './usage-facts.js';

export interface RecordedInvoice {
  provider: string;
  number: string;
  /** Upper case, as `USD`. */
  currency: string;
  /** The month its period starts in (or it was issued in, without a period). */
  month: string;
  /** As recorded: ISO instants (`period_end` is where the period ends), or null. */
  period_start: string | null;
  period_end: string | null;
}

/** The invoices that may bill a day of `range` (see `invoiceMayMeet`), by provider, period and number. */
export async function recordedInvoices(ledger: LedgerStore, range: { since?: string; until?: string } = {}): Promise<RecordedInvoice[]> {
  const result = await sql<RecordedInvoice>`
    select i.provider as provider, i.number as number, upper(i.currency) as currency,
      substr(coalesce(i.period_start, i.issued_at), 1, 7) as month, i.period_start as period_start, i.period_end as period_end
    from invoices i
    where ${invoiceMayMeet(range)}
    order by 1, coalesce(i.period_start, i.issued_at), 2`.execute(ledger.db);
  return result.rows;
}
