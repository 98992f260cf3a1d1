/**
 * A budget's current period: the calendar day, week (Monday to Monday) or month that
 * contains a moment, with boundaries at local midnight in the budget's time zone
 * (UTC by default), as UTC instants.
 */
import { WHOLE_DAY_GRANULARITIES } from '../ledger/ledger-schema.js';
import type { DayStart } from '../ledger/queries/usage-facts.js';

export type BudgetPeriodName = 'daily' | 'weekly' | 'monthly';

export interface PeriodWindow {
  start: Date;
  end: Date;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs ~50 us. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `t`, in ms (positive east of Greenwich). */
function offsetAt(t: number, timeZone: string): number {
  // UTC, the default, needs no time zone data: Intl would load ICU's zone and locale
  // tables into every process that only ever uses UTC (a few MB for `llmfin top`).
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(t / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/** The date (YYYY-MM-DD) in `timeZone` at the instant `t` (ms): a budget's days are its zone's. */
export function localDate(t: number, timeZone = 'UTC'): string {
  return new Date(t + offsetAt(t, timeZone)).toISOString().slice(0, 10);
}

/**
 * The UTC instant a local day starts in `timeZone`: its midnight, the first one when a DST
 * change repeats it (Havana goes back from 01:00 to 00:00), or the moment the clocks jump
 * past it when a change skips it (Santiago goes from 24:00 to 01:00): that day's first instant.
 */
function zonedToUtc(y: number, m: number, d: number, timeZone: string): Date {
  const wall = Date.UTC(y, m, d);
  // The offsets in force a day either side: the same, unless a change falls near this midnight.
  const candidates = [wall - offsetAt(wall - DAY_MS, timeZone), wall - offsetAt(wall + DAY_MS, timeZone)];
  const exact = candidates.filter((t) => t + offsetAt(t, timeZone) === wall);
  // A skipped midnight: the later candidate is the change itself, where the day begins.
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

export function periodWindow(period: BudgetPeriodName, now: Date, timeZone = 'UTC'): PeriodWindow {
  const local = new Date(now.getTime() + offsetAt(now.getTime(), timeZone));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  if (period === 'daily') return { start: zonedToUtc(y, m, d, timeZone), end: zonedToUtc(y, m, d + 1, timeZone) };
  if (period === 'weekly') {
    const back = (local.getUTCDay() + 6) % 7;
    return { start: zonedToUtc(y, m, d - back, timeZone), end: zonedToUtc(y, m, d - back + 7, timeZone) };
  }
  return { start: zonedToUtc(y, m, 1, timeZone), end: zonedToUtc(y, m + 1, 1, timeZone) };
}

/**
 * Where the local day that starts at `start` (a period's start) begins, in ms from the UTC
 * midnight of the same date: +4 h in New York in summer, −13 h in Auckland. A bill's day
 * and a whole-day row's date count from this instant (usage-facts.ts DayStart). Read from
 * the time stamp alone it is ambiguous past ±12 hours: Auckland's midnight at 11:00 UTC
 * would read as +11 h, a day late.
 */
export function dayStartOffset(start: Date, timeZone = 'UTC'): number {
  const local = new Date(start.getTime() + offsetAt(start.getTime(), timeZone));
  return start.getTime() - Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
}

/**
 * Where the zone's days start near each end of a budget's window `[start, until)`
 * (usage-facts.ts DayStart): on the start's date, and on the date of the local day that
 * holds `until` (the period's end, or now), which a DST change in the period moves.
 */
export function dayStarts(start: Date, until: Date, timeZone = 'UTC'): DayStart {
  return { since: dayStartOffset(start, timeZone), until: dayStartOffset(periodWindow('daily', until, timeZone).start, timeZone) };
}

const WHOLE_DAY = new Set<string>(WHOLE_DAY_GRANULARITIES);

/**
 * The instant (ms) a ledger row counts at in a time zone's periods: a whole-day row stamped
 * at its UTC day's midnight at that date's midnight in the zone, as a bill's day counts
 * (usage-facts.ts DayStart), so a New York day holds its own date's daily bucket; any
 * other row at its own instant. For code that adds rows one by one to what a budget read.
 */
export function countedAt(ts: string, granularity: string, timeZone = 'UTC'): number {
  const at = Date.parse(ts);
  if (!WHOLE_DAY.has(granularity) || at % DAY_MS !== 0) return at;
  const day = new Date(at);
  return zonedToUtc(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), timeZone).getTime();
}

/**
 * A period as whole-day rows count it (countedAt): from its first date's UTC midnight to
 * its end date's, the stamps of the daily buckets that fall in it. A New York October holds
 * the buckets of 1 to 31 October, stamped from 00:00 UTC on the 1st to 00:00 UTC on
 * 1 November, though its own hours run from 04:00 UTC on the 1st to 04:00 on 1 November.
 * On this clock a bucket's day is the zone's day of the same date, so a run rate or a
 * forecast of such rows meets the period where its spent does: the hours between the two
 * midnights are neither counted twice nor left out (budget-trajectory.ts, budget-status.ts).
 */
export function wholeDayWindow(window: PeriodWindow, timeZone = 'UTC'): PeriodWindow {
  const midnightOf = (t: Date) => new Date(`${localDate(t.getTime(), timeZone)}T00:00:00.000Z`);
  return { start: midnightOf(window.start), end: midnightOf(window.end) };
}

/**
 * The instant (ms) a moment of a whole-day window (wholeDayWindow) is in the zone: as far
 * into the zone's day of the same date as `t` is into its UTC day (a 23-hour DST day kept
 * in proportion), so that a breach dated there falls on that date.
 */
export function wholeDayInstant(t: number, timeZone = 'UTC'): number {
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const from = countedAt(new Date(day).toISOString(), 'day', timeZone);
  const to = countedAt(new Date(day + DAY_MS).toISOString(), 'day', timeZone);
  return from + ((t - day) / DAY_MS) * (to - from);
}
