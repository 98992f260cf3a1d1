/**
 * The ledger's spend grouped by layer, charge category, time and the identifier columns
 * a report needs — the input of attribution and the layer rule (reports/). Read from the
 * daily rollup when it can answer (whole UTC days, no per-request identifier), else from
 * the rows themselves; both give the same sums. A read-only ledger (`top`'s), which cannot
 * bring the rollup up to date, reads it as a refresh would leave it (rollupAsRefreshed).
 */
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { ChargeCategory, Provenance } from '../ledger-schema.js';
import { IDENTIFIER_COLUMNS, ROLLUP_KEY_COLUMNS, ROLLUP_WATERMARK_KEY, WHOLE_DAY_GRANULARITIES } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';
import { COUNTED_REQUESTS, FAILED_ATTEMPT } from './failed-attempt.js';
import type { Dec } from '../../shared/money.js';

/**
 * Columns a fact can be grouped by (the ledger's names; `trace` is trace_id): the
 * identifiers, `matched_model` (the catalogue model, which budgets on a model count by) and
 * `service_tier` for the report-only dimension of that name. Those past the rollup's keys
 * are read from the rows.
 */
export const FACT_COLUMNS = [...ROLLUP_KEY_COLUMNS, 'customer', 'user', 'trace', 'service_tier'] as const;
export type FactColumn = (typeof FACT_COLUMNS)[number];

export interface FactQuery {
  /** Identifier columns to group by (besides layer, charge category and time). */
  columns: readonly FactColumn[];
  /** `day` groups by UTC day; `month` by UTC month (the layer rule's period). */
  grain: 'day' | 'month';
  /** Inclusive start, canonical ISO instant. */
  since?: string;
  /** Exclusive end, canonical ISO instant. */
  until?: string;
  /** Force reading the rows (benchmarks compare the two paths). */
  noRollup?: boolean;
  /** Where a time zone's days start (DayStart): its whole-day rows count on their dates there. */
  dayStart?: DayStart;
}

/**
 * Where a time zone's day starts, in ms from the UTC midnight of the same date (+4 h in New
 * York in summer, −5.5 h in Kolkata): near a window's `since`, and near its `until`, which a
 * DST change in between moves (a New York November starts at 04:00 UTC and ends at 05:00).
 * A whole-day row (WHOLE_DAY_GRANULARITIES, stamped at its UTC day's midnight) is money of
 * its date, as a bill's day is: a window counts it when it holds that date's midnight in the
 * zone, so a New York day holds its own date's daily bucket, not the next day's. A row of
 * an hour or a request counts at its instant.
 */
export interface DayStart {
  since: number;
  until: number;
}

/** Whether `dayStart` moves any day off its UTC midnight. */
const shiftsDays = (dayStart: DayStart | undefined): dayStart is DayStart => dayStart !== undefined && (dayStart.since !== 0 || dayStart.until !== 0);

/** `iso` moved by `ms`, as canonical ISO text. */
const shifted = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A row of whole days, stamped at its UTC day's midnight (see DayStart). */
const WHOLE_DAY_ROW = sql.raw(`(granularity in (${WHOLE_DAY_GRANULARITIES.map((g) => `'${g}'`).join(', ')}) and substr(ts, 11) = 'T00:00:00.000Z')`);

export interface FactSums {
  rows: number;
  /** The requests, less the attempts that failed before the model ran (failed-attempt.ts). */
  requests: number;
  input_tokens: number;
  uncached_input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_ticks: bigint;
  estimated_cost_ticks: bigint;
  unpriced_rows: number;
  /** The part of `cost_ticks` on rows that count their requests. */
  counted_cost_ticks: bigint;
  /** The part of `cost_ticks` on rows that count their tokens. */
  tokened_cost_ticks: bigint;
  /** The requests of the rows without a price. */
  unpriced_requests: number;
  /** The input + output tokens of the rows without a price. */
  unpriced_tokens: number;
  /** The proxy's attempts that failed before the model ran, left out of `requests`. */
  failed_attempts: number;
}

/**
 * Every sum a fact holds, as SQL over usage_entries rows: the one list the daily rollup's
 * columns (refresh-rollups.ts), the facts read from the rollup and those read from the
 * rows all follow, so that none of them can leave a sum out. A new sum is a field above,
 * a line here and a migration adding its rollup column.
 */
export const FACT_SUM_SQL = {
  rows: 'count(*)',
  requests: `sum(${COUNTED_REQUESTS})`,
  input_tokens: 'sum(input_tokens)',
  uncached_input_tokens: 'sum(uncached_input_tokens)',
  cache_read_tokens: 'sum(cache_read_tokens)',
  cache_write_tokens: 'sum(cache_write_5m_tokens + cache_write_1h_tokens)',
  output_tokens: 'sum(output_tokens)',
  reasoning_tokens: 'sum(reasoning_tokens)',
  cost_ticks: 'coalesce(sum(cost_ticks), 0)',
  estimated_cost_ticks: 'coalesce(sum(estimated_cost_ticks), 0)',
  unpriced_rows: "sum(cost_status = 'unpriced')",
  // A source that does not report a request count (an aggregated usage or cost export)
  // writes `requests = 0`; a row that was requested at all counts at least one. Cost per
  // request divides this, not the whole cost, by the requests (reports/report-metrics.ts).
  counted_cost_ticks: 'coalesce(sum(case when requests > 0 then cost_ticks end), 0)',
  // Billed exports (cost exports, CUR, FOCUS, Azure, GCP…) carry cost but no token counts
  // and write `input_tokens = output_tokens = 0`; cost per 1M tokens divides this.
  tokened_cost_ticks: 'coalesce(sum(case when input_tokens + output_tokens > 0 then cost_ticks end), 0)',
  // A row without a price has no cost in any numerator, so cost per request and per 1M
  // tokens leave its requests and tokens out of the divisors too.
  unpriced_requests: `coalesce(sum(case when cost_status = 'unpriced' then ${COUNTED_REQUESTS} end), 0)`,
  unpriced_tokens: "coalesce(sum(case when cost_status = 'unpriced' then input_tokens + output_tokens end), 0)",
  failed_attempts: `coalesce(sum(${FAILED_ATTEMPT}), 0)`,
} as const satisfies Record<keyof FactSums, string>;

/** The sums' names, in FACT_SUM_SQL's order. */
export const FACT_SUM_NAMES = Object.keys(FACT_SUM_SQL) as (keyof FactSums)[];

/** The sums in ticks (bigint) and the counts (number), for code that adds or scales them all. */
type TickSum = { [K in keyof FactSums]: FactSums[K] extends bigint ? K : never }[keyof FactSums];
type CountSum = Exclude<keyof FactSums, TickSum>;
export const TICK_SUMS = FACT_SUM_NAMES.filter((n): n is TickSum => n.endsWith('_ticks'));
export const COUNT_SUMS = FACT_SUM_NAMES.filter((n): n is CountSum => !n.endsWith('_ticks'));

/** All sums zero. */
export function zeroFactSums(): FactSums {
  const sums = {} as FactSums;
  for (const n of TICK_SUMS) sums[n] = 0n;
  for (const n of COUNT_SUMS) sums[n] = 0;
  return sums;
}

/** Adds `from`'s sums into `into` (`sign` -1: takes them out). */
export function addFactSums(into: FactSums, from: FactSums, sign: 1 | -1 = 1): void {
  for (const n of TICK_SUMS) into[n] += sign === 1 ? from[n] : -from[n];
  for (const n of COUNT_SUMS) into[n] += sign * from[n];
}

export interface Fact extends FactSums {
  /** `YYYY-MM-DD` (grain day) or `YYYY-MM` (grain month). */
  period: string;
  provenance: Provenance;
  charge_category: ChargeCategory;
  /** Grouped identifiers; null when the rows did not record one. */
  ids: Partial<Record<FactColumn, string | null>>;
  /**
   * What the proxy's rewriting of models saved on the fact's rows, when a report groups by
   * routing (reports/routed-savings.ts); it rides through the layer rule with the fact.
   */
  routing?: RoutedSaving;
}

/** The realised saving of a fact's rewritten rows (routing/realised-cost.ts), exact. */
export interface RoutedSaving {
  /** Σ (original − cost) over the rewritten rows whose original cost was recorded. */
  saved: Dec;
  /** Rewritten rows without a recorded original cost (the requested model had no price): left out of `saved`. */
  unpriced_rows: number;
}

/** The usage_entries column behind each fact column (`trace` is trace_id). */
export const ROW_COLUMN: Readonly<Record<FactColumn, string>> = { ...IDENTIFIER_COLUMNS, service_tier: 'service_tier', matched_model: 'matched_model' };
const ROLLUP_COLUMNS = new Set<string>(ROLLUP_KEY_COLUMNS);
const DAY_START = /T00:00:00\.000Z$/;

/** Whether the daily rollup can answer `query`. */
export function rollupAnswers(query: FactQuery): boolean {
  return (
    !query.noRollup &&
    query.columns.every((c) => ROLLUP_COLUMNS.has(c)) &&
    // The rollup's days are UTC days, and do not know which of their rows are whole days.
    !shiftsDays(query.dayStart) &&
    (query.since === undefined || DAY_START.test(query.since)) &&
    (query.until === undefined || DAY_START.test(query.until))
  );
}

export async function usageFacts(ledger: LedgerStore, query: FactQuery): Promise<Fact[]> {
  const fromRollup = rollupAnswers(query);
  const length = query.grain === 'day' ? 10 : 7;
  const cols = query.columns.map((c, i) => sql.raw(`"${fromRollup ? c : ROW_COLUMN[c]}" as c${i}`));
  const groupCount = 3 + query.columns.length;
  const groupBy = sql.raw(Array.from({ length: groupCount }, (_, i) => String(i + 1)).join(', '));
  const where: RawBuilder<unknown>[] = [sql`1 = 1`];
  let select: RawBuilder<unknown>;
  if (fromRollup) {
    if (query.since !== undefined) where.push(sql`day >= ${query.since.slice(0, 10)}`);
    if (query.until !== undefined) where.push(sql`day < ${query.until.slice(0, 10)}`);
    const from = ledger.readOnly ? sql`(${rollupAsRefreshed(query)})` : sql`rollup_daily`;
    select = sql`select substr(day, 1, ${length}) as period, provenance, charge_category${cols.length ? sql`, ${sql.join(cols)}` : sql``}, ${ROLLUP_SUMS}
      from ${from} where ${sql.join(where, sql` and `)} group by ${groupBy}`;
  } else {
    where.push(...rowWindow(query));
    select = sql`select substr(ts, 1, ${length}) as period, provenance, charge_category${cols.length ? sql`, ${sql.join(cols)}` : sql``}, ${ROW_SUMS}
      from usage_entries where ${sql.join(where, sql` and `)} group by ${groupBy}`;
  }
  const result = await select.execute(ledger.db);
  return (result.rows as Record<string, unknown>[]).map((r) => factOf(r, query.columns));
}

/**
 * The rows of a facts query's window. Shifted by a zone's `dayStart`, a whole-day row is
 * in when its UTC midnight plus the zone's offset is: one range on the ts index, a few
 * hours wider than the window, holds both kinds and each row keeps its own bounds.
 */
function rowWindow(query: FactQuery): RawBuilder<unknown>[] {
  const { since, until, dayStart } = query;
  if (!shiftsDays(dayStart)) return [...(since !== undefined ? [sql`ts >= ${since}`] : []), ...(until !== undefined ? [sql`ts < ${until}`] : [])];
  const where: RawBuilder<unknown>[] = [];
  if (since !== undefined) {
    const days = shifted(since, -dayStart.since);
    where.push(sql`ts >= ${days < since ? days : since}`, sql`(case when ${WHOLE_DAY_ROW} then ts >= ${days} else ts >= ${since} end)`);
  }
  if (until !== undefined) {
    const days = shifted(until, -dayStart.until);
    where.push(sql`ts < ${days > until ? days : until}`, sql`(case when ${WHOLE_DAY_ROW} then ts < ${days} else ts < ${until} end)`);
  }
  return where;
}

/**
 * The daily rollup as refreshRollups would leave it, for a reader that cannot write (a
 * read-only ledger): its days but those marked dirty, which a refresh recomputes from the
 * rows, and the rows it has not taken in — above its watermark, or on a dirty day — summed
 * per day as it sums them (refresh-rollups.ts). Its rows have the rollup's columns (the
 * query's identifiers, '' for none, and the sums), within the query's days.
 */
function rollupAsRefreshed(query: FactQuery): RawBuilder<unknown> {
  const keys = query.columns.map((c) => sql.raw(`"${c}"`));
  const columns = sql`provenance, charge_category${keys.length ? sql`, ${sql.join(query.columns.map((c) => sql.raw(`coalesce(u."${ROW_COLUMN[c]}", '') as "${c}"`)))}` : sql``}, ${ROW_SUMS}`;
  const groupBy = sql.raw(Array.from({ length: 3 + keys.length }, (_, i) => String(i + 1)).join(', '));
  const days: RawBuilder<unknown>[] = [];
  if (query.since !== undefined) days.push(sql`day >= ${query.since.slice(0, 10)}`);
  if (query.until !== undefined) days.push(sql`day < ${query.until.slice(0, 10)}`);
  const rolled = sql`select day, provenance, charge_category${keys.length ? sql`, ${sql.join(keys)}` : sql``}, ${sql.raw(FACT_SUM_NAMES.join(', '))} from rollup_daily
    where day not in (select day from rollup_dirty_days)${days.length ? sql` and ${sql.join(days, sql` and `)}` : sql``}`;
  // `+ts`: the rows above the watermark are found by id, not by reading the window's rows on the ts index.
  const window = [...(query.since !== undefined ? [sql`+u.ts >= ${query.since}`] : []), ...(query.until !== undefined ? [sql`+u.ts < ${query.until}`] : [])];
  const inWindow = window.length ? sql` and ${sql.join(window, sql` and `)}` : sql``;
  const above = sql`select substr(u.ts, 1, 10) as day, ${columns} from usage_entries u where u.id > ${rollupWatermark}${inWindow} group by ${groupBy}`;
  const dirty = sql`select d.day as day, ${columns} from rollup_dirty_days d
    join usage_entries u on u.ts >= d.day || 'T00:00:00.000Z' and u.ts < date(d.day, '+1 day') || 'T00:00:00.000Z'
    where u.id <= ${rollupWatermark}${inWindow} group by ${groupBy}`;
  return sql`${rolled} union all ${above} union all ${dirty}`;
}

/** The highest row id the rollup has taken in (0 before its first refresh), as SQL. */
export const rollupWatermark = sql`(select coalesce(max(cast(value as integer)), 0) from meta where key = ${ROLLUP_WATERMARK_KEY})`;

/** A fact's sums over usage_entries rows, in FactSums' names. */
const ROW_SUMS = sql.raw(FACT_SUM_NAMES.map((n) => `${FACT_SUM_SQL[n]} as ${n}`).join(', '));
/** The same sums over rollup_daily, whose columns hold them per day. */
const ROLLUP_SUMS = sql.raw(FACT_SUM_NAMES.map((n) => `sum(${n}) as ${n}`).join(', '));

/** A result row of a facts query (`c0`, `c1`… the grouped identifier columns) as a Fact. */
function factOf(r: Record<string, unknown>, columns: readonly FactColumn[]): Fact {
  const ids: Partial<Record<FactColumn, string | null>> = {};
  columns.forEach((c, i) => {
    const v = r[`c${i}`];
    ids[c] = v === null || v === undefined || v === '' ? null : String(v);
  });
  const sums = zeroFactSums();
  for (const n of TICK_SUMS) sums[n] = BigInt((r[n] as bigint | number | null) ?? 0);
  for (const n of COUNT_SUMS) sums[n] = Number(r[n] ?? 0);
  return { period: String(r.period), provenance: r.provenance as Provenance, charge_category: r.charge_category as ChargeCategory, ids, ...sums };
}

/**
 * The invoices (aliased `i`) that have a month to count in and may cover a day of `range`:
 * starting before its end and not ending before its month (reports/invoice-months.ts,
 * `invoiceMeets`, says which do).
 */
export function invoiceMayMeet(range: { since?: string; until?: string }): RawBuilder<unknown> {
  return sql`coalesce(i.period_start, i.issued_at) is not null
    ${range.since !== undefined ? sql`and max(coalesce(i.period_end, i.period_start, i.issued_at), coalesce(i.period_start, i.issued_at)) >= ${range.since.slice(0, 7)}` : sql``}
    ${range.until !== undefined ? sql`and coalesce(i.period_start, i.issued_at) < ${range.until}` : sql``}`;
}

/** An invoice that is not in USD, which no USD total can include. */
export interface ForeignInvoice {
  provider: string;
  month: string;
  number: string;
  currency: string;
  /** The invoice total in its own currency, as written. */
  total: string;
  /** As recorded: ISO instants (`period_end` is where the period ends), or null. */
  period_start: string | null;
  period_end: string | null;
}

/**
 * The invoices in a currency other than USD, per provider and the month their period
 * starts in. `range` keeps, as `invoicePeriods` does, those that may cover a day in it:
 * starting before its end and not ending before its month (reports/invoice-months.ts,
 * `invoiceMeets`, says which do).
 */
export async function foreignInvoices(ledger: LedgerStore, range: { since?: string; until?: string } = {}): Promise<ForeignInvoice[]> {
  const result = await sql<{ provider: string; month: string; number: string; currency: string; total: string; period_start: string | null; period_end: string | null }>`
    select i.provider as provider, substr(coalesce(i.period_start, i.issued_at), 1, 7) as month, i.number as number,
      upper(i.currency) as currency, i.total_usd as total, i.period_start as period_start, i.period_end as period_end
    from invoices i
    where ${invoiceMayMeet(range)} and upper(i.currency) <> 'USD'
    order by 2, 1, 3`.execute(ledger.db);
  return result.rows.map((r) => ({ provider: r.provider, month: r.month, number: r.number, currency: r.currency, total: r.total, period_start: r.period_start, period_end: r.period_end }));
}

/**
 * Invoice usage per provider and month (the top layer of the default basis): the money of
 * the invoices whose period covers the month, or a share of it (see reports/invoice-months.ts).
 */
export interface InvoiceUsage {
  provider: string;
  month: string;
  usage_ticks: bigint;
  invoices: number;
  /**
   * The days of the month (YYYY-MM-DD, sorted) the invoices cover when that is not the whole
   * month: an invoice whose period is not a calendar month (Oct 15 – Nov 14) covers only its
   * own days. Absent: the whole month.
   */
  days?: readonly string[];
}

/** One USD invoice's usage money and the period it bills. */
export interface InvoicePeriod {
  provider: string;
  number: string;
  /** As recorded: ISO instants (`period_end` is where the period ends), or null. */
  period_start: string | null;
  period_end: string | null;
  issued_at: string | null;
  usage_ticks: bigint;
}

/**
 * What USD invoices say was LLM usage, invoice by invoice: the sum of their usage lines, or
 * the total of an invoice recorded without any lines. An invoice whose lines are all
 * credits, tax or fees (a credit note) bills no usage and is left out, so it neither counts
 * as spend nor hides the month's other layers. An invoice in another currency is not USD
 * money: it is left out too (see `foreignInvoices`). `range` keeps the invoices that may
 * cover a day in it: those starting before its end and not ending before its month.
 */
export async function invoicePeriods(ledger: LedgerStore, range: { since?: string; until?: string } = {}): Promise<InvoicePeriod[]> {
  const result = await sql<{ provider: string; number: string; period_start: string | null; period_end: string | null; issued_at: string | null; usage_ticks: bigint }>`
    select i.provider as provider, i.number as number, i.period_start as period_start, i.period_end as period_end, i.issued_at as issued_at,
      coalesce((select sum(l.amount_ticks) from invoice_lines l where l.invoice_id = i.id and l.kind = 'usage'), i.total_ticks) as usage_ticks
    from invoices i
    where ${invoiceMayMeet(range)} and upper(i.currency) = 'USD'
      and (exists (select 1 from invoice_lines l where l.invoice_id = i.id and l.kind = 'usage')
        or not exists (select 1 from invoice_lines l where l.invoice_id = i.id))
    order by 1, coalesce(i.period_start, i.issued_at), 2`.execute(ledger.db);
  return result.rows.map((r) => ({
    provider: r.provider,
    number: r.number,
    period_start: r.period_start,
    period_end: r.period_end,
    issued_at: r.issued_at,
    usage_ticks: BigInt(r.usage_ticks ?? 0),
  }));
}

/** A row that spans more than one day (a monthly bill line), with its span and its sums as one fact. */
export interface SpanningRow extends Fact {
  /** Its span `[ts, ts_end)`, as recorded. */
  ts: string;
  ts_end: string;
}

/**
 * The usage rows of `provider` starting in `month` whose span `[ts, ts_end)` is longer than
 * a day, one fact each (grain day, on its start's day) with its span: what the layer rule
 * must share out when an invoice covers only some of the month's days. Few: monthly lines.
 */
export async function spanningRows(ledger: LedgerStore, columns: readonly FactColumn[], provider: string, month: string): Promise<SpanningRow[]> {
  const cols = columns.map((c, i) => sql.raw(`"${ROW_COLUMN[c]}" as c${i}`));
  // One group a row: its sums are the row's own values, read as every fact's are.
  const result = await sql<Record<string, unknown>>`select ts, ts_end, substr(ts, 1, 10) as period, provenance, charge_category${cols.length ? sql`, ${sql.join(cols)}` : sql``}, ${ROW_SUMS}
    from usage_entries
    where provider = ${provider} and ts >= ${`${month}-01`} and ts < ${nextMonth(month)} and charge_category = 'usage'
      and granularity <> 'request' and ts_end is not null and julianday(ts_end) - julianday(ts) > 1
    group by id`.execute(ledger.db);
  return result.rows.map((r) => ({ ...factOf(r, columns), ts: String(r.ts), ts_end: String(r.ts_end) }));
}

/** The first instant of the month after `month` (`YYYY-MM`), as an ISO day. */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}
