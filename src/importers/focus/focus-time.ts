/**
 * FOCUS date/times "as delivered" and the ledger time of a charge. The spec asks for
 * ISO 8601 UTC with `Z`, but the official sample writes `2024-10-01 00:00:00` and the
 * spec's own SaaS examples `5/1/25`; all of them are UTC, so a missing zone means UTC.
 * A slash date is read in its file's order (focus-dates.ts): M/D as the examples write
 * it, or D/M as a spreadsheet in another locale re-saves it.
 */
import type { DateOrder } from '../slash-date-order.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Date | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  // Date.UTC rolls 2024-02-31 over to March; a date that does not exist is a bad cell.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return date;
}

/** Parses one FOCUS date/time cell, a slash date in `order`; undefined when it is not a date we can read. */
export function parseFocusTime(text: string, order: DateOrder = 'mdy'): Date | undefined {
  const t = text.trim();
  const iso = ISO.exec(t);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = ''] = iso;
    const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
    const base = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
    if (!base) return undefined;
    if (zone === '' || /^(z|utc)$/i.test(zone)) return base;
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offsetMin = (Number(z[2]) * 60 + Number(z[3])) * (z[1] === '-' ? -1 : 1);
    return new Date(base.getTime() - offsetMin * 60_000);
  }
  const us = US_DATE.exec(t);
  if (us) {
    const [, first, second, yy, h = '0', mi = '0', s = '0'] = us;
    const [mo, d] = order === 'mdy' ? [first, second] : [second, first];
    // Two-digit years in the spec's examples are 20xx.
    const year = yy!.length === 2 ? 2000 + Number(yy) : Number(yy);
    return utc(year, Number(mo), Number(d), Number(h), Number(mi), Number(s), 0);
  }
  return undefined;
}

export interface ChargeTime {
  ts: string;
  tsEnd: string | null;
  granularity: 'hour' | 'day' | 'month';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The ledger time of a charge: its charge period, clipped to its billing period.
 * A re-delivered FOCUS file replaces the ledger rows of its source and account inside
 * the time span its rows cover, so a row must not reach outside the billing period it
 * was invoiced in: a one-year commitment purchase, or a correction of last month's
 * usage, would otherwise wipe other months' rows. Such a row is placed at the start of
 * its billing period (keeping its length when it fits); the original charge period
 * stays in `raw_usage`.
 */
/** The ISO text of the last two instants formatted: a bill's rows share their hours. */
const recent: Array<{ ms: number; iso: string }> = [
  { ms: Number.NaN, iso: '' },
  { ms: Number.NaN, iso: '' },
];
function isoOf(ms: number): string {
  if (recent[0]!.ms === ms) return recent[0]!.iso;
  if (recent[1]!.ms === ms) return recent[1]!.iso;
  const iso = new Date(ms).toISOString();
  recent[1] = recent[0]!;
  recent[0] = { ms, iso };
  return iso;
}

export function chargeTime(start: Date, end: Date | undefined, billStart: Date | undefined, billEnd: Date | undefined): ChargeTime {
  return chargeTimeMs(start.getTime(), end?.getTime(), billStart?.getTime(), billEnd?.getTime());
}

/** `chargeTime` of instants in ms (a row's cells are memoised as numbers, not Dates). */
export function chargeTimeMs(start: number, end: number | undefined, billStart: number | undefined, billEnd: number | undefined): ChargeTime {
  let s = start;
  let e = end !== undefined && end > s ? end : undefined;
  if (billStart !== undefined && billEnd !== undefined && billEnd > billStart) {
    const bs = billStart;
    const be = billEnd;
    if (s < bs || s >= be) {
      const length = e === undefined ? undefined : e - s;
      s = bs;
      e = length === undefined ? undefined : s + length;
    }
    if (e === undefined || e > be) e = be;
  }
  const span = e === undefined ? 0 : e - s;
  const granularity = span <= HOUR ? 'hour' : span <= DAY ? 'day' : 'month';
  return {
    ts: isoOf(s),
    tsEnd: e === undefined ? null : isoOf(e),
    granularity: e === undefined ? 'day' : granularity,
  };
}

/** A charge at one instant (its period starts and ends at the same time): its time, with no end. */
export function instantTime(at: number): ChargeTime {
  return { ts: isoOf(at), tsEnd: null, granularity: 'hour' };
}
