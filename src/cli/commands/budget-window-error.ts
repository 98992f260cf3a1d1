/**
 * `budget status` judges each budget's own calendar period (its day, week or month in its
 * time zone) at one moment, `--at`: it has no window to read. The window options other
 * commands take would otherwise be refused as unknown, or, accepted, leave the budgets
 * judged at now when the user asked about a past month; this names the `--at` they meant.
 */
import { UsageError } from '../../shared/errors.js';
import { parsePeriod, parseWhen } from '../report-period.js';

export interface WindowOptions {
  since?: string;
  until?: string;
  month?: string;
}

const NOT_A_WINDOW = "budget status judges each budget's own period (its day, week or month) at one moment, not a window: use --at";

/** The error for a window option given to `budget status`, or undefined when none is. */
export function budgetWindowError(opts: WindowOptions): UsageError | undefined {
  if (opts.until !== undefined) {
    // --until is exclusive: the moment just before it is the last one it holds. One that
    // does not parse gets the same refusal, so that fixing it does not lead to a second one.
    const until = readAsOthersDo(() => parseWhen('--until', opts.until!));
    const hint = until !== undefined ? `--at ${lastSecondBefore(until)} judges the budgets at the last second before --until ${opts.until}` : undefined;
    return new UsageError(`--until: ${NOT_A_WINDOW}`, { option: '--until', ...(hint ? { hint } : {}) });
  }
  if (opts.month !== undefined) {
    const end = readAsOthersDo(() => new Date(parsePeriod({ month: opts.month }).until!));
    const hint = end !== undefined ? `--at ${lastSecondBefore(end)} judges the budgets at the end of ${opts.month} (UTC)` : undefined;
    return new UsageError(`--month: ${NOT_A_WINDOW}`, { option: '--month', ...(hint ? { hint } : {}) });
  }
  if (opts.since !== undefined) {
    return new UsageError(`--since: ${NOT_A_WINDOW}`, { option: '--since', hint: 'each period starts where its calendar says (period: and timezone: in llmfin.yaml); --at picks the moment within it' });
  }
  return undefined;
}

/** "2026-10-31T23:59:59Z" for 2026-11-01T00:00:00Z. */
function lastSecondBefore(t: Date): string {
  return `${new Date(Math.ceil(t.getTime() / 1000) * 1000 - 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * A window option as other commands read it (--until an ISO date or time, or 7d; --month
 * 2026-10), or undefined when they would refuse it: the refusal given here is the one to give.
 */
function readAsOthersDo(read: () => Date): Date | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof UsageError) return undefined;
    throw e;
  }
}
