/** Where the ledger's LLM usage begins and ends: its first and latest usage rows (credits, tax and fees aside). */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger-store.js';
import { WHOLE_DAY_GRANULARITIES } from '../ledger-schema.js';
import { rollupWatermark } from './usage-facts.js';
import { refreshRollups } from '../rollups/refresh-rollups.js';

/** The first and latest usage rows' `ts` (ISO UTC); both null when the ledger has no usage. */
export interface UsageSpan {
  first: string | null;
  last: string | null;
  /**
   * With no usage: whether the ledger holds other rows all the same (a cloud bill's other
   * services, tax, credits), so that "no usage" is not worded as an empty ledger.
   */
  otherCharges?: boolean;
}

/**
 * The ledger's usage span: one step down each end of the `ts` index (`min(ts), max(ts)` with
 * the charge-category filter read every row: 0.25 s on 1M rows, at every `budget status` and
 * at `top`'s start). A third read when there is no usage.
 */
export async function usageSpan(ledger: LedgerStore): Promise<UsageSpan> {
  const first = await firstUsageAt(ledger);
  const last = first === null ? null : await latestUsageAt(ledger);
  if (last !== null) return { first, last };
  const any = await sql<{ one: number }>`select 1 as one from usage_entries limit 1`.execute(ledger.db);
  return { first, last, otherCharges: any.rows.length > 0 };
}

/**
 * The first (`asc`) or latest (`desc`) usage row's `ts`, one step down the `ts` index from
 * that end, past any credits, tax or fees stamped beyond it. The index is named: without
 * statistics, SQLite (3.53) plans this as a scan of the table and a sort of every row.
 */
export function usageEndQuery(end: 'asc' | 'desc') {
  return sql<{ ts: string }>`select ts from usage_entries indexed by usage_entries_ts where charge_category = 'usage' order by ts ${sql.raw(end)} limit 1`;
}

/** The first usage row's `ts` (ISO UTC), or null. */
export async function firstUsageAt(ledger: LedgerStore): Promise<string | null> {
  return (await usageEndQuery('asc').execute(ledger.db)).rows[0]?.ts ?? null;
}

/** The latest usage row's `ts` (ISO UTC), or null. */
export async function latestUsageAt(ledger: LedgerStore): Promise<string | null> {
  return (await usageEndQuery('desc').execute(ledger.db)).rows[0]?.ts ?? null;
}

/**
 * Each provider's latest usage row's `ts` (ISO UTC) at or after `since`, by provider. The
 * daily rollup (brought up to date first, as a report does) says each provider's last day;
 * that day's rows say when in it. Never a scan of the ledger: there is no provider index to
 * group rows by, and the `ts` index read down to a provider days behind reads every row since.
 * A read-only ledger (`top`'s) cannot bring the rollup up to date: it reads the days of the
 * rows the rollup has not taken in beside it (above its watermark, or on a day marked dirty,
 * which a refresh recomputes from the rows: refresh-rollups.ts).
 */
export async function latestUsageByProvider(ledger: LedgerStore, since: string): Promise<Map<string, string>> {
  if (!ledger.readOnly) await refreshRollups(ledger);
  const sinceDay = since.slice(0, 10);
  const dirty = sql`select day from rollup_dirty_days`;
  const rolled = sql`select provider, day from rollup_daily
    where charge_category = 'usage' and rows > 0 and day >= ${sinceDay}${ledger.readOnly ? sql` and day not in (${dirty})` : sql``}`;
  // The rows above the watermark by id (`+ts`: not by reading a month of rows on the ts index), and a dirty day's by its day.
  const pending = sql`select provider, substr(ts, 1, 10) as day from usage_entries
      where charge_category = 'usage' and id > ${rollupWatermark} and +ts >= ${`${sinceDay}T00:00:00.000Z`}
    union all
    select u.provider, d.day from rollup_dirty_days d join usage_entries u on u.ts >= d.day || 'T00:00:00.000Z' and u.ts < date(d.day, '+1 day') || 'T00:00:00.000Z'
      where u.charge_category = 'usage' and u.id <= ${rollupWatermark} and d.day >= ${sinceDay}`;
  const source = ledger.readOnly ? sql`${rolled} union all ${pending}` : rolled;
  const days = (await sql<{ provider: string; day: string }>`select provider, max(day) as day from (${source}) group by provider`.execute(ledger.db)).rows;
  const byProvider = new Map<string, string>();
  for (const { provider, day } of days) {
    const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
    const last = await ledger.db
      .selectFrom('usage_entries')
      .select('ts')
      .where('provider', '=', provider)
      .where('charge_category', '=', 'usage')
      .where('ts', '>=', `${day}T00:00:00.000Z`)
      .where('ts', '<', next)
      .orderBy('ts', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last !== undefined && last.ts >= since) byProvider.set(provider, last.ts);
  }
  return byProvider;
}

/**
 * Whether a usage row stamped `ts` (of `provider`, or any) is a whole-day row: a daily
 * bucket or a day of a cost export (WHOLE_DAY_GRANULARITIES at a UTC midnight), whose
 * money is its date's rather than an instant's. One look-up on the `ts` index.
 */
export async function isWholeDayStamp(ledger: LedgerStore, ts: string, provider?: string): Promise<boolean> {
  if (!ts.endsWith('T00:00:00.000Z')) return false;
  let query = ledger.db
    .selectFrom('usage_entries')
    .select(sql<number>`1`.as('one'))
    .where('ts', '=', ts)
    .where('charge_category', '=', 'usage')
    .where('granularity', 'in', [...WHOLE_DAY_GRANULARITIES]);
  if (provider !== undefined) query = query.where('provider', '=', provider);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Whether a usage row stamped `ts` (of `provider`, or any) is an hour bucket (an hourly
 * usage or cost export), whose money is its hour's. One look-up on the `ts` index.
 */
export async function isHourStamp(ledger: LedgerStore, ts: string, provider?: string): Promise<boolean> {
  let query = ledger.db.selectFrom('usage_entries').select(sql<number>`1`.as('one')).where('ts', '=', ts).where('charge_category', '=', 'usage').where('granularity', '=', 'hour');
  if (provider !== undefined) query = query.where('provider', '=', provider);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
