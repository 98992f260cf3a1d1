/**
 * `new Date(ms).toISOString()` for the request path, where every request writes three or
 * four timestamps (the row's ts, ts_end and created_at, the log line's ts). Formatting a
 * Date is the slow part, and within one second only the milliseconds change: the
 * `YYYY-MM-DDTHH:MM:SS.` prefix is formatted once a second and the rest appended.
 */

/** Years 0000-9999: where toISOString's format is the fixed 24-character one. */
const MAX_FIXED_MS = 253_402_300_799_999;

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** The same text as `new Date(ms).toISOString()` (ms truncated to a whole millisecond, as Date does). */
export function isoTime(ms: number): string {
  const whole = Math.trunc(ms);
  if (!(whole >= 0 && whole <= MAX_FIXED_MS)) return new Date(whole).toISOString();
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  const milli = whole - second * 1000;
  return `${cachedPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
