/**
 * A budget judged on a ledger whose usage stops days before the moment it is judged at
 * shows $0 spent (its projection a guess at every day since), which reads as "all is well"
 * when it means "nothing was imported since". This names the gap. Exports arrive a day or so late (a CUR or a
 * cost export is refreshed daily, and its rows start at midnight), so a gap of up to three days
 * is normal and says nothing. An empty window (forecast, anomalies) likewise names where
 * the ledger's usage is.
 */

/** A gap between the ledger's latest usage and now longer than this is worth a word. */
export const STALE_AFTER_MS = 3 * 86_400_000;

/**
 * The hint for budgets judged at `now` on a ledger whose latest usage is `latest` (ISO, or
 * null for none), or undefined when the ledger is current. `atOption` names the command's
 * option for judging at another moment, when it has one.
 */
export function staleLedgerHint(latest: string | null, now: Date, atOption?: string): string | undefined {
  const meter = 'import recent exports (`llmfin import`) or meter live traffic (`llmfin proxy`)';
  if (latest === null) return `the ledger has no usage yet, so every budget shows $0: ${meter}`;
  const gap = now.getTime() - Date.parse(latest);
  if (gap <= STALE_AFTER_MS) return undefined;
  const day = latest.slice(0, 10);
  const days = Math.floor(gap / 86_400_000);
  const asOf = atOption !== undefined ? `; ${atOption} ${day} judges them as of that day` : '';
  return `the ledger's latest usage is from ${day}, ${days} days before ${now.toISOString().slice(0, 10)}: nothing since is counted, so the budgets' spent amounts are too low and their projections guess every day since. ${meter[0]!.toUpperCase()}${meter.slice(1)}${asOf}`;
}

/** "; the ledger's last usage is on 2026-10-31 — …": where an empty window's usage is, or that there is none. */
export function whereUsageIs(span: { first: string | null; last: string | null }, period: { since?: string; until?: string }): string {
  const { first, last } = span;
  if (last === null) return '; the ledger has no usage yet — import some files (`llmfin import`)';
  const day = last.slice(0, 10);
  if (period.since !== undefined && last < period.since) return `; the ledger's last usage is on ${day}, before --since ${period.since.slice(0, 10)} — widen --since`;
  // --until is exclusive: usage that starts on it is after the window.
  // Said of the window, not of --until: --month 2026-09 ends it too.
  if (first !== null && period.until !== undefined && first >= period.until) return `; the ledger's first usage is on ${first.slice(0, 10)}, after the window's end (${period.until.slice(0, 10)}, exclusive) — move the window later`;
  return `; the ledger's last usage is on ${day} — check --since/--until and --where`;
}
