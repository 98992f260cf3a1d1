/**
 * A price period's dates with its status, as `pricing show` and `pricing cost` print it:
 * "start → 2027-01-01 (current)", "from 2027-01-01 (scheduled)", "from start (current)".
 * An open end reads "from …", as `forecast` names a price change: "2027-01-01 → now" read
 * as today's price for a period that had not started, and "→ now" as an end where there is none.
 */
import type { Period } from '../../pricing/catalogue-schema.js';
import type { PeriodStatus } from '../../pricing/period-status.js';

export function periodText(p: Pick<Period, 'from' | 'to'>, status: PeriodStatus): string {
  const from = p.from ?? 'start';
  return `${p.to === null ? `from ${from}` : `${from} → ${p.to}`} (${status})`;
}
