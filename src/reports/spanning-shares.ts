/**
 * A row that spans several days (a monthly bill line, ts on the 1st, ts_end on the next
 * month's 1st) is a fact of its first day. When an invoice covers only some of the month's
 * days (Azure's Oct 15 – Nov 14), the layer rule takes the invoice as the money of those
 * days and the month's other layers for the rest: a monthly line on Oct 1 would then count
 * whole in the rest, its Oct 15–31 share counted a second time by the invoice. Here the
 * share of such a row's days in the month that lie in the other part (covered or not) than
 * its first day is moved, as a pair of facts, to the first of those days, in proportion to
 * the days: the rest keeps what the row bills of its own days, and the invoice's part holds
 * the covered share (which the invoice's money replaces, or that attributes it). Days of
 * the span past the month stay with the month it starts in, as they always have.
 */
import type { Fact, FactColumn, InvoiceUsage, SpanningRow } from '../ledger/queries/usage-facts.js';
import { addFactSums, COUNT_SUMS, spanningRows, TICK_SUMS, zeroFactSums } from '../ledger/queries/usage-facts.js';
import type { LedgerStore } from '../ledger/ledger-store.js';

const DAY_MS = 86_400_000;

/** A share of a spanning row's sums to move from the fact of its first day to another day's. */
export interface SpanMove {
  from: string;
  to: string;
  /** The moved sums as a fact of the `to` day (no rows of its own). */
  fact: Fact;
}

/** The moves of spanning rows' shares, for every partly invoiced provider-month. */
export async function spanningShares(ledger: LedgerStore, columns: readonly FactColumn[], invoices: readonly InvoiceUsage[]): Promise<SpanMove[]> {
  const out: SpanMove[] = [];
  for (const inv of invoices) {
    if (inv.days === undefined) continue;
    const covered = new Set(inv.days);
    for (const row of await spanningRows(ledger, columns, inv.provider, inv.month)) {
      const move = shiftCovered(row, covered);
      if (move !== undefined) out.push(move);
    }
  }
  return out;
}

/** The days of a span `[start, end)` from `firstDay` (YYYY-MM-DD; a partial last day counts). */
function spanDays(firstDay: string, end: string): string[] {
  const days: string[] = [];
  const stop = Date.parse(end);
  for (let t = Date.parse(`${firstDay}T00:00:00.000Z`); t < stop; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Of a row whose span starts on `firstDay` and ends at `end`, the part that lies in the
 * other part of its month than its first day (covered by an invoice or not): `k` of its
 * `n` days, to be moved to day `to`; undefined when all its days in the month are in one
 * part. Days past the row's month stay with it (`covered` holds this month's days only).
 */
export function otherPart(firstDay: string, end: string, covered: ReadonlySet<string>): { to: string; k: number; n: number } | undefined {
  const days = spanDays(firstDay, end);
  const own = covered.has(firstDay);
  const month = firstDay.slice(0, 7);
  const other = days.filter((d) => d.startsWith(month) && covered.has(d) !== own);
  return other.length === 0 ? undefined : { to: other[0]!, k: other.length, n: days.length };
}

/** The share of `row`'s days that lie in the other part than its first day's (covered or not); none when all are in one. */
export function shiftCovered(row: SpanningRow, covered: ReadonlySet<string>): SpanMove | undefined {
  const share = otherPart(row.period, row.ts_end, covered);
  if (share === undefined) return undefined;
  const n = BigInt(share.n);
  const k = BigInt(share.k);
  const sums = zeroFactSums();
  for (const name of TICK_SUMS) sums[name] = (row[name] * k) / n;
  for (const name of COUNT_SUMS) sums[name] = Math.round((row[name] * share.k) / share.n);
  // The row itself stays a row of its first day: only its sums move.
  sums.rows = 0;
  sums.unpriced_rows = 0;
  return {
    from: row.period,
    to: share.to,
    fact: { period: share.to, provenance: row.provenance, charge_category: row.charge_category, ids: row.ids, ...sums },
  };
}

const factKey = (f: Pick<Fact, 'provenance' | 'charge_category' | 'ids'>, period: string) => `${period}\u0000${f.provenance}\u0000${f.charge_category}\u0000${JSON.stringify(f.ids)}`;

/**
 * `facts` with each move applied: its sums taken out of the fact of the row's first day
 * (which holds the row) and put on a fact of its own on the day it moves to. A fact is
 * never negative, so the layer rule's proportions hold. `keep` says which days the facts
 * are of (a window within a day holds the days whose start it holds): a move whose first
 * day's fact is not there takes nothing out, and one to a day not kept adds nothing.
 */
export function applyMoves(facts: readonly Fact[], moves: readonly SpanMove[], keep: (period: string) => boolean = () => true): Fact[] {
  if (moves.length === 0) return [...facts];
  const out = facts.map((f) => ({ ...f }));
  const index = new Map(out.map((f, i) => [factKey(f, f.period), i]));
  for (const m of moves) {
    const i = index.get(factKey(m.fact, m.from));
    // Its rows and unpriced rows are 0: only the sums move.
    if (i !== undefined) addFactSums(out[i]!, m.fact, -1);
    if (keep(m.to)) out.push(m.fact);
  }
  return out;
}
