/**
 * Which names `--by` and `--where` accept: the ledger's dimensions, the report-only ones
 * (service_tier), time buckets, the custom tag keys declared in config and any dimension
 * an attribution rule sets.
 */
import { DIMENSIONS } from '../ledger/ledger-schema.js';
import { UsageError } from '../shared/errors.js';
import type { Attributor } from '../attribution/attributor.js';
import { RECORDED_ONLY_DIMENSIONS } from '../attribution/recorded-only-dimensions.js';
import type { RowMetrics } from './report-metrics.js';
import type { RoutingMetrics } from './routed-savings.js';

export const TIME_DIMENSIONS = ['day', 'week', 'month'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export function isTimeDimension(name: string): name is TimeDimension {
  return (TIME_DIMENSIONS as readonly string[]).includes(name);
}

/**
 * Tag keys llmfin itself writes, usable without declaring them: the proxy's routing
 * (`routed_from`, `route_tier`) and the proxy key a request came with (`llmfin_key`).
 */
export const BUILT_IN_TAG_DIMENSIONS = ['cost_center', 'routed_from', 'route_tier', 'llmfin_key'] as const;

/**
 * The keys a report row's figures have in JSON (and CSV), beside its dimensions. A
 * dimension of one of these names (a rule's `set: { cost_usd: … }`, a declared
 * `share`) would be written over by the figure: `report --by cost_usd` would show each
 * group's cost where its value should be. The config refuses such names.
 */
const FIGURE_KEYS = {
  cost_usd: true, cost_usd_exact: true, share: true, requests: true, input_tokens: true, output_tokens: true, cache_read_tokens: true,
  cache_write_tokens: true, reasoning_tokens: true, cost_per_request_usd: true, cost_per_1m_tokens_usd: true, cache_hit_ratio: true,
  unpriced_rows: true, original_cost_usd: true, original_cost_usd_exact: true, saved_usd: true, saved_usd_exact: true, unpriced_routed_rows: true,
} as const satisfies Record<keyof RowMetrics | keyof RoutingMetrics, true>;

export function isReportFigureKey(name: string): boolean {
  return Object.hasOwn(FIGURE_KEYS, name);
}

export function knownDimensions(attributor: Attributor, custom: readonly string[]): string[] {
  return dimensionNames(custom, attributor.ruleDimensions);
}

/** The names `--by` accepts, given the config's declared dimensions and those its rules set. */
export function dimensionNames(custom: readonly string[], ruleDimensions: readonly string[]): string[] {
  return [...new Set<string>([...DIMENSIONS, ...RECORDED_ONLY_DIMENSIONS, ...TIME_DIMENSIONS, ...BUILT_IN_TAG_DIMENSIONS, ...custom, ...ruleDimensions])];
}

/** @throws UsageError naming the option for a name that is not a dimension. */
export function checkDimensions(names: readonly string[], known: readonly string[], option: string): void {
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(`${option}: expected a dimension (${known.join(', ')}), got "${name}"`, {
        option,
        hint: 'custom tag keys become dimensions when listed under attribution.dimensions in llmfin.yaml',
      });
    }
  }
}

const TIME_VALUE: Record<TimeDimension, { pattern: RegExp; expected: string }> = {
  day: { pattern: /^\d{4}-\d{2}-\d{2}$/, expected: 'a UTC day such as 2026-10-05' },
  week: { pattern: /^\d{4}-\d{2}-\d{2}$/, expected: 'the Monday (UTC) a week starts on, such as 2026-10-05' },
  month: { pattern: /^\d{4}-\d{2}$/, expected: 'a month such as 2026-10' },
};

/**
 * A time bucket in `--where` must be written as the report writes it (`day=2026-10-05`,
 * `week=` its Monday, `month=2026-10`); any other spelling would match no row and print $0.
 * @throws UsageError naming the option and the form expected.
 */
export function checkTimeValues(where: Readonly<Record<string, string>>, option = '--where'): void {
  for (const [name, value] of Object.entries(where)) {
    if (!isTimeDimension(name)) continue;
    const { pattern, expected } = TIME_VALUE[name];
    const t = timeBucket(name, value).start.getTime();
    const valid = pattern.test(value) && Number.isFinite(t) && new Date(t).toISOString().startsWith(value);
    if (!valid || (name === 'week' && weekOf(value) !== value)) {
      throw new UsageError(`${option}: expected ${expected} after "${name}=", got "${value}"`, {
        option,
        ...(valid && name === 'week' ? { hint: `${value} is in the week of ${weekOf(value)}` } : {}),
      });
    }
  }
}

/** The UTC instants a time bucket as the report writes it (`2026-10-05`, `2026-10`) spans: [start, end). */
export function timeBucket(name: TimeDimension, value: string): { start: Date; end: Date } {
  const start = new Date(name === 'month' ? `${value}-01T00:00:00.000Z` : `${value}T00:00:00.000Z`);
  const end = new Date(start);
  if (name === 'month') end.setUTCMonth(end.getUTCMonth() + 1);
  else end.setUTCDate(end.getUTCDate() + (name === 'week' ? 7 : 1));
  return { start, end };
}

/** The Monday (UTC) of the ISO week a `YYYY-MM-DD` day falls in. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00.000Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The whole UTC months a period of ISO instants touches: its start back to the first of its
 * month, its end (exclusive) on to the first of the next month unless it already is one.
 * An open end stays open.
 */
export function monthsAround(p: { since?: string; until?: string }): { since?: string; until?: string } {
  const start = (t: string) => `${t.slice(0, 7)}-01T00:00:00.000Z`;
  const out: { since?: string; until?: string } = {};
  if (p.since !== undefined) out.since = start(p.since);
  if (p.until !== undefined) {
    if (p.until === start(p.until)) out.until = p.until;
    else {
      const next = new Date(start(p.until));
      next.setUTCMonth(next.getUTCMonth() + 1);
      out.until = next.toISOString();
    }
  }
  return out;
}
