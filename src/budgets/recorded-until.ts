/**
 * Where the ledger's record of a period stops. Imports arrive a day or more late (a CUR or
 * a cost export is refreshed daily, its rows dated at midnight): the hours after the day of
 * the ledger's latest usage are not hours of $0 but hours not recorded yet. A run rate
 * divides what is spent by the time it was spent in, so it must stop there too, or a ledger
 * three days behind projects a month 10% low.
 */
import { compareText } from '../shared/compare-text.js';

const DAY_MS = 86_400_000;

/**
 * The instant (ms) up to which usage is recorded, judged at `now`: the end of the UTC day
 * of `latest` (the ledger's latest usage, ISO), or `now` when that day is today or later.
 * With no usage at all there is nothing to be behind on: `now`.
 */
export function recordedUntil(latest: string | null, now: Date): number {
  const at = now.getTime();
  const latestAt = latest === null ? NaN : Date.parse(latest);
  if (!Number.isFinite(latestAt)) return at;
  const today = Math.floor(at / DAY_MS) * DAY_MS;
  if (latestAt >= today) return at;
  return Math.floor(latestAt / DAY_MS) * DAY_MS + DAY_MS;
}

/**
 * Where the ledger's usage stops, overall and for each provider. Providers arrive at their
 * own lags: the proxy (or OpenTelemetry) records OpenAI's traffic up to the minute while the
 * cloud bill for Bedrock or Vertex arrives days late, so the ledger's latest usage says
 * nothing of the lagging one's last days, which are not days of $0 either.
 */
export interface LedgerRecord {
  /** The ledger's latest usage (ISO), null when it has none. */
  latest: string | null;
  /**
   * The ledger's first usage (ISO), when read: where its record begins. A ledger begun
   * inside a budget's period (a proxy installed on the 5th) has no record of the days
   * before, which are not days of $0 to a run rate either.
   */
  first?: string | null;
  /** Each provider's latest usage (ISO; its day is what counts), by provider. */
  byProvider: ReadonlyMap<string, string>;
  /**
   * Whose latest usage is a whole-day row (a provider's daily bucket, a day of a cost
   * export: WHOLE_DAY_GRANULARITIES at a UTC midnight), when read: `latest` the ledger's,
   * `providers` those of `byProvider`. Such a record ends with a date, which a budget in a
   * time zone counts whole on that date there (budget-period.ts countedAt), not with the
   * UTC midnight after it: its run rate and forecast go by the date (wholeDayWindow).
   */
  wholeDay?: { latest: boolean; providers: ReadonlySet<string> };
  /**
   * Whose latest usage is an hour bucket (an hourly usage or cost export), when read, as
   * `wholeDay`. Such a record ends with its last hour (10:00–11:00), not at the moment
   * judged nor at the end of that hour's day: the hours since are not recorded yet, rather
   * than hours of $0 (ledgerRecordedUntil, providerRecordedUntil).
   */
  hourly?: { latest: boolean; providers: ReadonlySet<string> };
}

/**
 * A provider whose latest usage is more than this before the ledger's has stopped being
 * used (traffic moved to another provider), not lagged: no export is refreshed less often
 * than monthly. Its days since are days of $0, as the ledger's record says, not days to forecast.
 */
export const STOPPED_AFTER_MS = 31 * DAY_MS;

/** The start (ms) of the UTC day of the ledger's first usage, where its record begins; undefined when unknown. */
export function recordedFrom(record: LedgerRecord): number | undefined {
  const first = record.first == null ? NaN : Date.parse(record.first);
  return Number.isFinite(first) ? Math.floor(first / DAY_MS) * DAY_MS : undefined;
}

/** A record with one latest usage for every provider: the ledger-wide judgement. */
export const ledgerWide = (latest: string | null): LedgerRecord => ({ latest, byProvider: new Map() });

/**
 * The latest usage `provider`'s record is judged by: its own, or the ledger's for a provider
 * the record does not know (none of its usage is in the ledger, or a ledger-wide record) and
 * for one that stopped long before the ledger's latest usage.
 */
export function providerLatest(record: LedgerRecord, provider: string): string | null {
  const own = record.byProvider.get(provider);
  if (own === undefined || record.latest === null) return record.latest;
  return Date.parse(record.latest) - Date.parse(own) > STOPPED_AFTER_MS ? record.latest : own;
}

/**
 * Whether `provider`'s record (providerLatest), or the ledger's without a provider, ends
 * with a whole-day row (LedgerRecord.wholeDay).
 */
export function endsWithWholeDay(record: LedgerRecord, provider?: string): boolean {
  if (record.wholeDay === undefined) return false;
  if (provider === undefined || providerLatest(record, provider) !== record.byProvider.get(provider)) return record.wholeDay.latest;
  return record.wholeDay.providers.has(provider);
}

/** Whether `provider`'s record (providerLatest), or the ledger's without a provider, ends with an hour bucket (LedgerRecord.hourly). */
export function endsWithHour(record: LedgerRecord, provider?: string): boolean {
  if (record.hourly === undefined) return false;
  if (provider === undefined || providerLatest(record, provider) !== record.byProvider.get(provider)) return record.hourly.latest;
  return record.hourly.providers.has(provider);
}

const HOUR_MS = 3_600_000;

/**
 * recordedUntil of a record whose latest usage may be an hour bucket: one ends the record at
 * its hour's end (11:00 for the 10:00 bucket), whatever day it is on, not at `now` nor at
 * the end of its day. An hourly export read at 15:00 has not recorded 11:00–15:00 yet, nor,
 * when its last bucket is yesterday's, yesterday's 11:00–24:00: taken as recorded, those
 * hours were in no spent and no projection (a $1-an-hour October read $722.79 for $744).
 */
function untilOf(latest: string | null, hourly: boolean, now: Date): number {
  const at = recordedUntil(latest, now);
  if (!hourly || latest === null) return at;
  return Math.min(at, Date.parse(latest) + HOUR_MS);
}

/** Where the ledger's record stops (ms): recordedUntil of its latest usage, at an hour bucket's end (untilOf). */
export function ledgerRecordedUntil(record: LedgerRecord, now: Date): number {
  return untilOf(record.latest, endsWithHour(record), now);
}

/** Where `provider`'s record stops (ms): recordedUntil of its latest usage (providerLatest), at an hour bucket's end (untilOf). */
export function providerRecordedUntil(record: LedgerRecord, provider: string, now: Date): number {
  return untilOf(providerLatest(record, provider), endsWithHour(record, provider), now);
}

/**
 * The providers whose record stops before the ledger's does (their usage arrives later than
 * another's), each with where it stops (ms), most behind first; empty when every provider's
 * record stops at the same instant, the ledger-wide judgement.
 */
export function laggingProviders(record: LedgerRecord, now: Date): { provider: string; until: number }[] {
  const overall = ledgerRecordedUntil(record, now);
  const out: { provider: string; until: number }[] = [];
  for (const provider of record.byProvider.keys()) {
    const until = providerRecordedUntil(record, provider, now);
    if (until < overall) out.push({ provider, until });
  }
  return out.sort((a, b) => a.until - b.until || compareText(a.provider, b.provider));
}
