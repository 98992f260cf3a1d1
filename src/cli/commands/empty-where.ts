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
    if ((await Promise.all(alsoMatching.map(valuesOf))).some((values) => values.includes(value))) continue;
    const shown = seen.slice(0, 12).map(listed).join(', ') + (seen.length > 12 ? `, … (${seen.length} in all)` : '');
    ctx.warn(`--where ${dim}=${value}: no spend in the ledger has this value${seen.length > 0 ? `; the values of ${dim} are ${shown}` : ''}`);
    named = true;
  }
  return named;
}

/** A value in the comma-separated list of a dimension's values, quoted when a comma, quote or edge space would blur it. */
function listed(value: string): string {
  return /[,"]|^\s|\s$/.test(value) ? JSON.stringify(value) : value;
}
