/**
 * A window that --where emptied: name each condition that no spend in the whole ledger
 * meets (usually a misspelt or mis-cased value) and the values there are, instead of
 * leaving a bare $0 or "nothing to judge". report, forecast and anomalies say it alike.
 */
import type { CliContext } from '../cli-context.js';
import type { Attributor } from '../../attribution/attributor.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { buildReport, type Basis } from '../../reports/build-report.js';
import { isTimeDimension } from '../../reports/report-dimensions.js';
import { dimensionsMatching } from '../../reports/dimension-matches.js';
import { UNATTRIBUTED } from '../../ledger/queries/spend-summary.js';
import { didYouMean, editDistance } from '../../pricing/suggest-models.js';

/**
 * Whether it named one: then no window would hold the spend asked for, and a caller leaves
 * its "check --since/--until" hint out rather than send the user to the wrong cause.
 */
export async function explainEmptyWhere(ctx: CliContext, ledger: LedgerStore, attributor: Attributor, where: Record<string, string>, basis: Basis): Promise<boolean> {
  let named = false;
  for (const [dim, value] of Object.entries(where)) {
    if (isTimeDimension(dim)) continue;
    const valuesOf = async (d: string) => (await buildReport(ledger, attributor, { by: [d], basis, sort: 'name' })).rows.map((r) => r[d]!);
    const seen = await valuesOf(dim);
    if (seen.includes(value)) continue;
    // A model recorded only under its dated ids is found by its catalogue model (dimension-matches.ts).
    const [, ...alsoMatching] = dimensionsMatching(dim, value);
    const alsoSeen = await Promise.all(alsoMatching.map(valuesOf));
    if (alsoSeen.some((values) => values.includes(value))) continue;
    // The catalogue models the recorded ids were priced as match too (a Bedrock row's
    // `anthropic.claude-sonnet-4-5`), so they are listed and suggested beside them.
    const priced = [...new Set(alsoSeen.flat())].filter((v) => !seen.includes(v) && v !== UNATTRIBUTED);
    const close = closestValues(value, [...seen, ...priced]);
    const hint = close.length > 0 ? ` (${didYouMean(close).trim()})` : '';
    const shown = seen.slice(0, 12).map(listed).join(', ') + (seen.length > 12 ? `, … (${seen.length} in all)` : '');
    const pricedAs = priced.length > 0 ? `, and catalogue ${priced.length === 1 ? 'model' : 'models'} ${priced.slice(0, 12).map(listed).join(', ')}${priced.length > 12 ? `, … (${priced.length} in all)` : ''}` : '';
    ctx.warn(`--where ${dim}=${value}: no spend in the ledger has this value${hint}${seen.length > 0 ? `; the values of ${dim} are ${shown}${pricedAs}` : ''}`);
    named = true;
  }
  return named;
}

/**
 * The values closest to a mistyped one: those equal but for case (`Support` for `support`),
 * else those within a typo or two (as model ids are suggested, pricing/suggest-models.ts),
 * the nearest first. Listing every value is not enough once a dimension has dozens.
 */
export function closestValues(value: string, values: readonly string[]): string[] {
  const lower = value.toLowerCase();
  const sameButCase = values.filter((v) => v.toLowerCase() === lower);
  if (sameButCase.length > 0) return sameButCase.slice(0, 3);
  const max = Math.max(1, Math.floor(value.length / 6));
  let best = max;
  let found: string[] = [];
  for (const v of values) {
    const d = editDistance(lower, v.toLowerCase(), best);
    if (d > best) continue;
    if (d < best) [best, found] = [d, []];
    found.push(v);
  }
  return found.slice(0, 3);
}

/** A value in the comma-separated list of a dimension's values, quoted when a comma, quote or edge space would blur it. */
export function listed(value: string): string {
  return /[,"]|^\s|\s$/.test(value) ? JSON.stringify(value) : value;
}
