/**
 * The realised savings of `llmfin report --by routed_from` (or `route_tier`): the
 * proxy's metered rows whose model it rewrote (routing in enforce mode, a budget's
 * downgrade) hold what the requested model would have cost for the same tokens
 * (`raw_usage.routing.original_cost_usd`). Each rewritten row's saving (original − its
 * cost) is summed, exactly, per fact of the report's query, and put on that fact, so that
 * it goes where the fact's money goes: into its group, or nowhere when the layer rule
 * counts the month from another layer. The saving is as the proxy priced both models: a
 * bill that scales the month's metered cost (layer-rule.ts) does not scale it. A
 * rewritten row without a recorded original cost
 * is counted apart, never as $0 saved; one that failed before the model ran is left out:
 * the rules of `llmfin route simulate`'s `realised` (routing/realised-cost.ts).
 * Only these rows' raw_usage is read (the tag filter runs in SQLite), and only when asked.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { ROW_COLUMN, type Fact, type FactQuery, type RoutedSaving } from '../ledger/queries/usage-facts.js';
import { isErrorRow, realisedCosts } from '../routing/realised-cost.js';
import { routedFromOf } from '../routing/routed-rows.js';
import { parseRouteRecord } from '../routing/route-record.js';
import { dec, decToNumber, ticksToUsd } from '../shared/money.js';
import type { LedgerTokenColumns } from '../pricing/token-usage.js';

/** The dimensions whose reports show what routing saved. */
export const ROUTING_DIMENSIONS: readonly string[] = ['routed_from', 'route_tier'];

const PAGE = 5000;

interface Row extends LedgerTokenColumns {
  id: number;
  ts: string;
  period: string;
  cost_usd: string | null;
  status_code: number | null;
  tags: string | null;
  raw_usage: string | null;
  [column: `c${number}`]: unknown;
}

/** A metered usage fact's key: its period and grouped identifiers, as usageFacts reads them. */
const keyOf = (period: string, ids: Fact['ids']) => `${period}\u0000${JSON.stringify(ids)}`;

/** The savings of the rewritten rows in `query`'s period, per metered usage fact. */
export async function routedSavings(ledger: LedgerStore, query: FactQuery): Promise<Map<string, RoutedSaving>> {
  const length = query.grain === 'day' ? 10 : 7;
  const cols = query.columns.map((c, i) => sql.raw(`"${ROW_COLUMN[c]}" as c${i}`));
  const out = new Map<string, RoutedSaving>();
  let after: { ts: string; id: number } | undefined;
  for (;;) {
    // Paged by the last (ts, id) seen, as routed-rows.ts reads: each page a range of the ts index.
    const last = after;
    const page = await sql<Row>`select id, ts, substr(ts, 1, ${length}) as period, cost_usd, status_code, input_tokens, output_tokens, cache_read_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens, tags, raw_usage${cols.length ? sql`, ${sql.join(cols)}` : sql``}
      from usage_entries
      where provenance = 'metered' and granularity = 'request' and charge_category = 'usage' and tags like '%"routed_from"%'
        ${query.since !== undefined ? sql`and ts >= ${query.since}` : sql``} ${query.until !== undefined ? sql`and ts < ${query.until}` : sql``}
        ${last !== undefined ? sql`and ts >= ${last.ts} and (ts > ${last.ts} or id > ${last.id})` : sql``}
      order by ts, id limit ${PAGE}`.execute(ledger.db);
    for (const r of page.rows) {
      const row = { ...r, status_code: r.status_code === null ? null : Number(r.status_code), routed_from: routedFromOf(r.tags), record: parseRouteRecord(r.raw_usage) };
      if (row.routed_from === undefined || isErrorRow(row)) continue;
      const ids: Fact['ids'] = {};
      query.columns.forEach((c, i) => {
        const v = r[`c${i}`];
        ids[c] = v === null || v === undefined || v === '' ? null : String(v);
      });
      const key = keyOf(r.period, ids);
      let s = out.get(key);
      if (s === undefined) out.set(key, (s = { saved: dec(0), unpriced_rows: 0 }));
      const done = realisedCosts(row);
      if (done) s.saved = s.saved.plus(done.original.minus(done.cost));
      else s.unpriced_rows++;
    }
    const end = page.rows[page.rows.length - 1];
    if (end === undefined || page.rows.length < PAGE) return out;
    after = { ts: end.ts, id: Number(end.id) };
  }
}

/** `facts` with the savings of their rows on them (the metered usage facts that have some). */
export function withSavings<T extends Fact>(facts: readonly T[], savings: ReadonlyMap<string, RoutedSaving>): T[] {
  if (savings.size === 0) return [...facts];
  return facts.map((f) => {
    if (f.provenance !== 'metered' || f.charge_category !== 'usage') return f;
    const routing = savings.get(keyOf(f.period, f.ids));
    return routing === undefined ? f : { ...f, routing };
  });
}

/** A report row's savings, beside its cost (PRODUCT.md: money as USD numbers; `_exact` as decimal text, for CSV). */
export interface RoutingMetrics {
  /** What the requested models would have cost: the row's cost plus what routing saved (its cost, for traffic not rewritten). */
  original_cost_usd: number;
  original_cost_usd_exact: string;
  /** Original − actual, over the rewritten rows whose original cost was recorded. */
  saved_usd: number;
  saved_usd_exact: string;
  /** Rewritten rows without a recorded original cost, left out of saved_usd (not counted as $0 saved). */
  unpriced_routed_rows: number;
}

export const zeroSaving = (): RoutedSaving => ({ saved: dec(0), unpriced_rows: 0 });

export function addSaving(into: RoutedSaving, from: RoutedSaving): void {
  into.saved = into.saved.plus(from.saved);
  into.unpriced_rows += from.unpriced_rows;
}

export function routingMetrics(s: RoutedSaving, costTicks: bigint): RoutingMetrics {
  const original = ticksToUsd(costTicks).plus(s.saved);
  return {
    original_cost_usd: decToNumber(original),
    original_cost_usd_exact: original.toFixed(),
    saved_usd: decToNumber(s.saved),
    saved_usd_exact: s.saved.toFixed(),
    unpriced_routed_rows: s.unpriced_rows,
  };
}
