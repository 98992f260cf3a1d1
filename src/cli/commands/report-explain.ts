/** `report --explain`: how each provider-month's money was counted under the layer rule. */
import type { Report } from '../../reports/build-report.js';
import { formatUsd, ticksToUsd } from '../../shared/money.js';
import { compareText } from '../../shared/compare-text.js';

export const LAYER_RULE =
  'Each provider-month takes its money from the most authoritative layer present (invoice > billed export > provider usage > metered) ' +
  'and is attributed by the finest layer below it that priced any of it: each of its groups keeps its priced cost (scaled down in proportion when ' +
  'it prices more than the bill); what it does not cover is (unattributed). No dollar is counted twice.';

/** Said when an invoice covers only part of a month. */
export const PARTLY_INVOICED =
  'An invoice counts for the days of its period only: a period that is not a calendar month (Oct 15 – Nov 14) splits its usage over the months it covers in ' +
  'proportion to their days, and the days of a month no invoice covers take their money from their own layers. Such a month is shown in two parts below; ' +
  "the invoice's unattributed money is on its first day in the month.";

/** Said when the window cuts a month: the pools are whole months, the report only the window's part. */
export const WINDOW_CUT =
  "Each month below is decided whole; this window keeps only what falls inside it: the attributing rows in it, and unattributed money where the rule puts it (a billed export's on its own days, an invoice's on its month's first day) when it holds that day's start (00:00 UTC).";

/**
 * The layer rule's decisions behind `report`: each provider-month's. A `--where` on the
 * provider or the month keeps only the decisions of the spend it reports: `--where
 * provider=openai` explains OpenAI's months, not every provider's.
 */
export function describePools(report: Report, where: Readonly<Record<string, string>> = {}): { text: string; json: unknown } {
  const monthStart = (t: string | null) => t === null || /-01T00:00:00\.000Z$/.test(t);
  const cut = report.basis === 'default' && (!monthStart(report.since) || !monthStart(report.until));
  const kept = report.pools.filter((p) => (where.provider === undefined || p.provider === where.provider) && (where.month === undefined || p.month === where.month));
  const pools = [...kept].sort((a, b) => compareText(a.month, b.month) || compareText(a.provider, b.provider) || compareText(a.days?.spans[0]?.from ?? '', b.days?.spans[0]?.from ?? ''));
  const json = {
    rule: report.basis === 'default' ? LAYER_RULE : `basis ${report.basis}: only ${report.basis} rows, nothing allocated`,
    // The pools' money is their whole months' (money_usd), not the report's: say so where the window cuts them.
    ...(cut ? { window_note: WINDOW_CUT } : {}),
    pools: pools.map((p) => ({
      provider: p.provider,
      month: p.month,
      money_from: p.authority,
      money_usd: ticksToUsd(p.authority_ticks).toNumber(),
      attributed_by: p.attributed_by,
      attributing_layer_priced_usd: ticksToUsd(p.attributing_ticks).toNumber(),
      unattributed_usd: ticksToUsd(p.unattributed_ticks).toNumber(),
      // Only for a month an invoice covers in part: the days this decision is about.
      ...(p.days !== undefined ? { days: { count: p.days.count, of_month: p.days.of, spans: p.days.spans } } : {}),
      // What all of the bill records (one account…), which the attributing rows take.
      ...(p.shared !== undefined ? { shared: p.shared } : {}),
    })),
  };
  if (report.basis !== 'default') return { text: `\n${wrap(json.rule, 92).join('\n')}\n`, json };
  const lines = ['', ...wrap(LAYER_RULE, 92), ''];
  if (cut) lines.push(...wrap(WINDOW_CUT, 92), '');
  if (pools.some((p) => p.days !== undefined)) {
    lines.push(...wrap(PARTLY_INVOICED, 92), '');
  }
  for (const p of pools) {
    const money = formatUsd(ticksToUsd(p.authority_ticks));
    const by = p.attributed_by === null ? 'nothing finer: all (unattributed)' : p.attributed_by === p.authority ? `its own identifiers` : `${p.attributed_by} (priced ${formatUsd(ticksToUsd(p.attributing_ticks))})`;
    const rest = p.unattributed_ticks > 0n ? `, ${formatUsd(ticksToUsd(p.unattributed_ticks))} (unattributed)` : '';
    const part = p.days === undefined ? '' : `, ${p.days.spans.map((d) => (d.from === d.to ? d.from : `${d.from} … ${d.to}`)).join(', ')} (${p.days.count} of ${p.days.of} days${p.authority === 'invoice' ? '' : ', not invoiced'})`;
    const shared = p.shared === undefined ? '' : `; all of it ${Object.entries(p.shared).map(([k, v]) => `${k} ${v}`).join(', ')}`;
    lines.push(`  ${p.month} ${p.provider}${part}: ${money} from ${p.authority}, attributed by ${by}${rest}${shared}`);
  }
  return { text: `${lines.join('\n')}\n`, json };
}

/** Greedy word wrap for terminal paragraphs. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
