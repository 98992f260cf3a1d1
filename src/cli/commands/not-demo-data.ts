/**
 * What a ledger holds that the demo did not write, named in `demo`'s and `top --demo`'s
 * refusal to mix the sample company into it: its rows and its invoices, each counted as
 * what it is (an invoice is not a ledger row).
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { countNoun } from '../../shared/count-noun.js';

export interface NotDemoData {
  rows: number;
  invoices: number;
}

export const holdsNotDemoData = (own: NotDemoData): boolean => own.rows > 0 || own.invoices > 0;

/** "1 ledger row", "2 invoices", "106 ledger rows and 1 invoice". */
export function notDemoText(own: NotDemoData): string {
  const parts = [own.rows > 0 ? countNoun(own.rows, 'ledger row') : '', own.invoices > 0 ? countNoun(own.invoices, 'invoice') : ''];
  return parts.filter((p) => p !== '').join(' and ');
}

/**
 * What `ledger` holds that the demo did not write: its sample month is imported as llmfin
 * rows with ids `demo-…`; with `replay`, the rows `top --demo` replays (source
 * `llmfin-demo`) are the demo's too. Anything else is someone's real spend.
 */
export async function notDemoData(ledger: LedgerStore, replay: boolean): Promise<NotDemoData> {
  const demo = replay ? sql`(source = 'llmfin' and dedupe_key like 'demo-%') or source = 'llmfin-demo'` : sql`source = 'llmfin' and dedupe_key like 'demo-%'`;
  const r = await sql<{ rows: number | bigint; invoices: number | bigint }>`select (select count(*) from usage_entries where not (${demo})) as rows,
    (select count(*) from invoices) as invoices`.execute(ledger.db);
  return { rows: Number(r.rows[0]?.rows ?? 0), invoices: Number(r.rows[0]?.invoices ?? 0) };
}
