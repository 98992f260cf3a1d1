/**
 * The options shared by reading commands: `--since`/`--until` (ISO dates or UTC
 * times, or a relative `90d`/`12w`) and `--month YYYY-MM`. Relative starts are UTC
 * midnights, so `--since 90d` covers whole days (and the daily rollup can answer it).
 */
import { PROVENANCES } from '../ledger/ledger-schema.js';
import type { Basis } from '../reports/build-report.js';
import { UsageError } from '../shared/errors.js';
import { parseTimeOption } from './cli-context.js';

export interface PeriodOptions {
  since?: string;
  until?: string;
  month?: string;
}

export interface Period {
  since?: string;
  until?: string;
}

const DAY_MS = 86_400_000;

function relative(option: string, value: string, now: Date): Date | undefined {
  const m = /^(\d+)([dw])$/.exec(value);
  if (!m) return undefined;
  const days = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = new Date(midnight - days * DAY_MS);
  // Past the year 1970 - 273,790 a Date cannot hold it: a mistake, not an internal error.
  if (!Number.isSafeInteger(days) || Number.isNaN(start.getTime())) throw new UsageError(`${option}: expected a number of days such as 90d, got "${value}"`, { option });
  return start;
}

/** One moment option: an ISO date or UTC time, or a relative `7d` / `2w` (a UTC midnight before today). */
export function parseWhen(option: string, value: string, now: Date = new Date()): Date {
  return relative(option, value, now) ?? parseTimeOption(option, value, now, 'or days / weeks before today such as 1d or 2w');
}

export function parsePeriod(opts: PeriodOptions, now: Date = new Date()): Period {
  if (opts.month !== undefined) {
    if (opts.since !== undefined || opts.until !== undefined) {
      throw new UsageError('--month: expected either --month or --since/--until, not both', { option: '--month' });
    }
    const m = /^(\d{4})-(\d{2})$/.exec(opts.month);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
      throw new UsageError(`--month: expected a month such as 2026-10, got "${opts.month}"`, { option: '--month' });
    }
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
    return { since: new Date(start).toISOString(), until: new Date(end).toISOString() };
  }
  const period: Period = {};
  const orRelative = 'or days / weeks before today such as 90d or 12w';
  if (opts.since !== undefined) period.since = (relative('--since', opts.since, now) ?? parseTimeOption('--since', opts.since, now, orRelative)).toISOString();
  if (opts.until !== undefined) period.until = (relative('--until', opts.until, now) ?? parseTimeOption('--until', opts.until, now, orRelative)).toISOString();
  if (period.since !== undefined && period.until !== undefined && period.since >= period.until) {
    throw new UsageError(`--until: expected a time after --since (${period.since}), got ${period.until}`, { option: '--until' });
  }
  return period;
}

/** `--by team,feature` as a list of dimension names, each once, in the order given. */
export function parseBy(value: string): string[] {
  return [...new Set(value.split(',').map((d) => d.trim()).filter(Boolean))];
}

/**
 * `--where team=search --where feature=chat` (or comma-separated) as dimension → value.
 * A value may hold a comma (`customer=Acme, Inc.`): a comma separates conditions only
 * before another `dim=`.
 * Every condition must hold, so a dimension given twice with two values is refused rather
 * than one of them silently dropped, and an empty value (which no row has) is refused too.
 */
export function parseWhere(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // A comma starts another condition only where a `dim=` follows it, so a value may hold
  // commas: customer=Acme, Inc. is one customer, not a condition and a stray "Inc.".
  for (const text of values.flatMap((v) => v.split(/,(?=\s*[a-z][a-z0-9_]*\s*=)/))) {
    const m = /^\s*([a-z][a-z0-9_]*)\s*=(.*)$/.exec(text);
    if (!m) throw new UsageError(`--where: expected dimension=value such as team=search, got "${text}"`, { option: '--where' });
    const dim = m[1]!;
    const value = m[2]!.trim();
    if (value === '') {
      throw new UsageError(`--where: expected a value after "${dim}=", got nothing`, { option: '--where', hint: `${dim}=(unattributed) selects rows without a ${dim}` });
    }
    const before = Object.hasOwn(out, dim) ? out[dim] : undefined;
    if (before !== undefined && before !== value) {
      throw new UsageError(`--where: expected one value per dimension, got ${dim}=${before} and ${dim}=${value} (a row has one ${dim}, so both cannot hold)`, {
        option: '--where',
        hint: `to compare them, group by it instead: --by ${dim}`,
      });
    }
    out[dim] = value;
  }
  return out;
}

/** `--basis`: default (the layer rule) or one layer. */
export function parseBasis(value: string): Basis {
  if (value === 'default' || (PROVENANCES as readonly string[]).includes(value)) return value as Basis;
  throw new UsageError(`--basis: expected default, ${PROVENANCES.join(', ')}, got "${value}"`, { option: '--basis' });
}
