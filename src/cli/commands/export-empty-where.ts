/**
 * An export that --where emptied: name each condition no ledger row meets, with the values
 * the column holds and the one meant when it differs only in case or by a typo, as
 * `report` does (empty-where.ts), rather than leave a bare "no ledger rows match". An
 * export reads the columns as stored, so a value only an attribution rule gives is not
 * there: the warning says so, since `report --where` finds it.
 */
import type { CliContext } from '../cli-context.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { ATTRIBUTION_COLUMNS } from '../../ledger/ledger-schema.js';
import { exportRows } from '../../export/export-rows.js';
import { storedValues } from '../../export/stored-values.js';
import { didYouMean } from '../../pricing/suggest-models.js';
import { closestValues, listed } from './empty-where.js';

/** Values listed in the warning; one more tells that there are others. */
const SHOWN = 12;

export async function explainEmptyExportWhere(ctx: CliContext, ledger: LedgerStore, where: Readonly<Record<string, string>>): Promise<void> {
  for (const [dim, value] of Object.entries(where)) {
    // Any row of any date and layer with it: then another condition or the window emptied the export.
    const any = exportRows(ledger, { where: { [dim]: value } });
    const found = !(await any.next()).done;
    await any.return(undefined);
    if (found) continue;
    const values = await storedValues(ledger, dim, SHOWN + 1);
    const close = closestValues(value, values);
    const hint = close.length > 0 ? ` (${didYouMean(close).trim()})` : '';
    const shown = values.slice(0, SHOWN).map(listed).join(', ') + (values.length > SHOWN ? ', …' : '');
    // Attribution rules set these dimensions in reports, never in the column an export reads.
    const byRules = (ATTRIBUTION_COLUMNS as readonly string[]).includes(dim) ? ' (an export reads the columns as stored; `llmfin report --where` reads the attribution rules too)' : '';
    ctx.warn(`--where ${dim}=${value}: no ledger row records this value${hint}${values.length > 0 ? `; the values of ${dim} as stored are ${shown}` : ''}${byRules}`);
  }
}
