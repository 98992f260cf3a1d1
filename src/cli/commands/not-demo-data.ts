/**
 * What a ledger holds that the demo did not write, named in `demo`'s and `top --demo`'s
 * refusal to mix the sample company into it: its rows and its invoices, each counted as
 * what it is (an invoice is not a ledger row).
 */
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
