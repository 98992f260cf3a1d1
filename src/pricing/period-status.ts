/** Whether a price period is over, in effect or yet to start, at one instant (today, for the CLI). */
import type { Period } from './catalogue-schema.js';
import { periodContains } from './cost-engine.js';

export type PeriodStatus = 'ended' | 'current' | 'scheduled';

/** `current` is the period prices are found in at `now`, by the same `[from, to)` as `findPeriod`. */
export function periodStatus(period: Period, now: Date): PeriodStatus {
  if (periodContains(period, now)) return 'current';
  return period.from !== null && Date.parse(period.from) > now.getTime() ? 'scheduled' : 'ended';
}
