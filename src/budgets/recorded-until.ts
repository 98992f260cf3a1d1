/**
 * Where the ledger's record of a period stops. Imports arrive a day or more late (a CUR or
 * a cost export is refreshed daily, its rows dated at midnight): the hours after the day of
 * the ledger's latest usage are not hours of $0 but hours not recorded yet. A run rate
 * divides what is spent by the time it was spent in, so it must stop there too, or a ledger
 * three days behind projects a month 10% low.
 */

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
