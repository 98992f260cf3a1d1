/**
 * What a report (or a chargeback) with nothing in its window says about it: where the
 * ledger's usage is, so that a ledger with spend elsewhere is sent to another window
 * rather than to `llmfin import`; and, for one layer (`--basis`) that has none of the
 * window's spend, what the default basis counts there, rather than "widen the window".
 */
import type { Attributor } from '../../attribution/attributor.js';
import { whereUsageIs } from '../../budgets/stale-ledger-hint.js';
import { usageSpan, type UsageSpan } from '../../ledger/queries/latest-usage.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { buildReport, type Basis } from '../../reports/build-report.js';
import { countNoun } from '../../shared/count-noun.js';
import { dec, formatUsd } from '../../shared/money.js';

export interface EmptyWindowQuery {
  basis: Basis;
  where: Record<string, string>;
  since?: string;
  until?: string;
  noRollup?: boolean;
}

/**
 * The note, and whether the window's spend is on other layers (then --where values exist).
 * Otherwise also where the ledger's usage is, as the suffix (`usageIs`) and as dates
 * (`span`), so that a command wording its own empty case reads the ledger once, here.
 */
export type EmptyWindow =
  | { onOtherLayers: true; text: string }
  | { onOtherLayers: false; text: string; usageIs: string; span: UsageSpan };

export async function emptyWindowNote(ledger: LedgerStore, attributor: Attributor, q: EmptyWindowQuery): Promise<EmptyWindow> {
  const { basis, ...rest } = q;
  if (basis !== 'default') {
    const all = await buildReport(ledger, attributor, { by: [], ...rest, basis: 'default' });
    if (all.total_sums.rows > 0 || all.total_sums.cost_ticks !== 0n) {
      const what = all.total_sums.cost_ticks !== 0n ? formatUsd(dec(all.total.cost_usd_exact)) : `${countNoun(all.total.unpriced_rows, 'ledger row')} without a price`;
      return { text: `no ${basis} spend in this period: the ledger has ${what} here on other layers (the default basis) — drop --basis to count it`, onOtherLayers: true };
    }
  }
  const span = await usageSpan(ledger);
  const usageIs = whereUsageIs(span, q);
  return { text: `no spend in this period${usageIs}`, onOtherLayers: false, usageIs, span };
}
