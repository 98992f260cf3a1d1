/**
 * A budget judged on a ledger whose usage stops days before the moment it is judged at
 * shows $0 spent (its projection a guess at every day since), which reads as "all is well"
 * when it means "nothing was imported since". This names the gap. Exports arrive a day or so late (a CUR or a
 * cost export is refreshed daily, and its rows start at midnight), so a gap of up to three days
 * is normal and says nothing. A moment judged before the ledger's first usage reads $0 the
 * same way, and is named too. An empty window (forecast, anomalies) likewise names where
 * the ledger's usage is.
 */

import { compareText } from '../shared/compare-text.js';
import type { UsageSpan } from '../ledger/queries/latest-usage.js';
import { providerLatest, recordedFrom, type LedgerRecord } from './recorded-until.js';

const DAY_MS = 86_400_000;

/** A gap between the ledger's latest usage and now longer than this is worth a word. */
export const STALE_AFTER_MS = 3 * DAY_MS;

/**
 * The hint for budgets judged at `now` on a ledger whose usage stops where `record` says
 * (ledgerRecord), or undefined
 * when the ledger is current. `atOption` names the command's option for judging at another
 * moment, when it has one. Providers arrive at their own lags: when the ledger is current
 * but a provider's usage (a cloud bill's) stops days before it, the hint names that provider.
 */
export function staleLedgerHint(record: LedgerRecord, now: Date, atOption?: string): string | undefined {
  const { latest, byProvider } = record;
  const meter = 'import recent exports (`llmfin import`) or meter live traffic (`llmfin proxy`)';
  if (latest === null) return `the ledger has no usage yet, so every budget shows $0: ${meter}`;
  const today = now.toISOString().slice(0, 10);
  // Judged before the ledger's record begins (its first usage's day; a daily row is stamped
  // at that day's midnight): every budget reads $0 spent, which is no record, not no spend.
  const from = recordedFrom(record);
  if (from !== undefined && now.getTime() < from) {
    const day = record.first!.slice(0, 10);
    const later = atOption !== undefined ? `; ${atOption} ${day} or later judges them on recorded usage` : '';
    return `the ledger's first usage is from ${day}, after ${today}: nothing before it is recorded, so the budgets' $0 spent and projections say nothing of that time${later}`;
  }
  const behind = (at: string) => Math.floor((now.getTime() - Date.parse(at)) / DAY_MS);
  // The last second of that day, not its midnight: a date alone is the day's start, and the
  // budgets judged there would leave out the very day of usage the hint points at.
  const asOf = (at: string) => (atOption !== undefined ? `; ${atOption} ${at.slice(0, 10)}T23:59:59Z judges them as of the end of that day` : '');
  // Each provider's own end, most behind first, when they do not all end on one day.
  const providers = [...byProvider.keys()]
    .map((provider) => ({ provider, at: providerLatest(record, provider)! }))
    .sort((a, b) => compareText(a.at, b.at) || compareText(a.provider, b.provider));
  const split = new Set(providers.map((p) => p.at.slice(0, 10))).size > 1;
  const named = (list: typeof providers) => list.map((p) => `${p.provider} recorded to ${p.at.slice(0, 10)}, ${behind(p.at)} days behind`).join('; ');
  const gap = now.getTime() - Date.parse(latest);
  if (gap > STALE_AFTER_MS) {
    const each = split ? ` (${named(providers)})` : '';
    return `the ledger's latest usage is from ${latest.slice(0, 10)}, ${behind(latest)} days before ${today}${each}: nothing since is counted, so the budgets' spent amounts are too low and their projections guess every day since. ${meter[0]!.toUpperCase()}${meter.slice(1)}${asOf(latest)}`;
  }
  const lagging = providers.filter((p) => now.getTime() - Date.parse(p.at) > STALE_AFTER_MS);
  if (lagging.length === 0) return undefined;
  const one = lagging.length === 1;
  return (
    `${named(lagging)}, while the ledger's latest usage is from ${latest.slice(0, 10)}: ${one ? 'its' : 'their'} usage since is not counted yet, so the budgets that cover ${one ? 'it' : 'them'} show too little spent, ` +
    `and their projections forecast ${one ? 'its' : 'their'} days since. Import ${one ? 'its' : 'their'} recent exports (\`llmfin import\`)${asOf(lagging[0]!.at)}`
  );
}

/**
 * "the ledger has no usage yet — …": what a ledger with no usage row is told, worded apart
 * when it holds other charges (a cloud bill with no LLM rows in it), which reports leave out.
 */
export function noUsageYet(span: UsageSpan): string {
  return span.otherCharges === true
    ? 'the ledger has no LLM usage yet, only other charges (other services, tax, credits: see `llmfin reconcile`) — import your LLM providers\' usage or cost exports (`llmfin import`)'
    : 'the ledger has no usage yet — import some files (`llmfin import`)';
}

/** "; the ledger's last usage is on 2026-10-31 — …": where an empty window's usage is, or that there is none. */
export function whereUsageIs(span: UsageSpan, period: { since?: string; until?: string }): string {
  const { first, last } = span;
  if (last === null) return `; ${noUsageYet(span)}`;
  const day = last.slice(0, 10);
  if (period.since !== undefined && last < period.since) return `; the ledger's last usage is on ${day}, before --since ${period.since.slice(0, 10)} — widen --since`;
  // --until is exclusive: usage that starts on it is after the window.
  // Said of the window, not of --until: --month 2026-09 ends it too.
  if (first !== null && period.until !== undefined && first >= period.until) return `; the ledger's first usage is on ${first.slice(0, 10)}, after the window's end (${period.until.slice(0, 10)}, exclusive) — move the window later`;
  if (period.since !== undefined && period.until !== undefined && Math.ceil(Date.parse(period.since) / DAY_MS) * DAY_MS >= Date.parse(period.until)) {
    // Exports' daily rows are stamped at their day's UTC midnight: a window holding no midnight holds none of them.
    return `; the window holds no UTC midnight, where daily rows (most exports') are stamped — widen it to whole days`;
  }
  return `; the ledger's last usage is on ${day} — check --since/--until and --where`;
}
