/** `llmfin budget status`: every budget's state and trajectory, most at risk first. */
import { existsSync } from 'node:fs';
import type { CliContext } from '../cli-context.js';
import { parseTimeOption } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { Attributor } from '../../attribution/attributor.js';
import type { BudgetStatus } from '../../budgets/budget-status.js';
import { describeScope, scopeDimension } from '../../budgets/budget-scope.js';
import { scopesEverSpent } from '../../budgets/budget-spend.js';
import { staleLedgerHint } from '../../budgets/stale-ledger-hint.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import { budgetStatusesAndUnpriced, type BudgetTrajectory } from '../../forecast/budget-trajectory.js';
import { keptNotes } from '../../forecast/build-forecast.js';
import { priceChangeLines } from './price-change-lines.js';
import { ledgerRecord } from '../../budgets/ledger-record.js';
import { ledgerWide, providerRecordedUntil, type LedgerRecord } from '../../budgets/recorded-until.js';
import { CheckFailedError } from '../../shared/errors.js';
import { formatUsd } from '../../shared/money.js';
import { budgetJson } from './budget-json.js';
import { budgetTable } from './budget-table.js';
import { budgetWindowError, type WindowOptions } from './budget-window-error.js';
import { compareText } from '../../shared/compare-text.js';
import { knownDimensions } from '../../reports/report-dimensions.js';
import { withoutPrice } from '../../shared/count-noun.js';

export async function budgetStatusCommand(ctx: CliContext, opts: { at?: string; failOnBreach?: boolean } & WindowOptions): Promise<void> {
  const windowError = budgetWindowError(opts);
  if (windowError !== undefined) throw windowError;
  const now = parseTimeOption('--at', opts.at, new Date());
  const { config, path } = await ctx.config();
  if (config.budgets.length === 0) {
    ctx.info(`no budgets defined${path ? ` in ${path}` : ''}: add them under budgets: in llmfin.yaml (see \`llmfin init\`)`);
  }
  const attributor = new Attributor(config.attribution.rules);
  let rows: BudgetStatus[] = [];
  const unmatched: BudgetConfig[] = [];
  // Rows of each budget's period with no price: their cost is unknown, not $0, and not in spent.
  let unpriced = new Map<string, number>();
  let record: LedgerRecord = ledgerWide(null);
  let pricesKept = new Map<string, BudgetTrajectory['prices_kept']>();
  if (config.budgets.length > 0) {
    const ledger = await ctx.openLedger({ create: false });
    try {
      record = await ledgerRecord(ledger);
      ({ rows, unpricedRows: unpriced, pricesKept } = await budgetStatusesAndUnpriced(ledger, attributor, await ctx.pricer(), config.budgets, now, undefined, record));
      // An empty ledger has matched no scope: its own warning says why, not a misspelling.
      const unspent = (record.latest === null ? [] : config.budgets).filter((b) => Object.keys(b.scope).length > 0 && rows.find((r) => r.name === b.name)?.spent_usd === 0);
      const ever = await scopesEverSpent(ledger, attributor, unspent);
      unmatched.push(...unspent.filter((_, i) => !ever[i]));
    } finally {
      await ledger.close();
    }
  } else if (existsSync(await ctx.ledgerPath())) {
    // No budgets to judge, but the ledger's usage still ends somewhere: null would say it has none.
    const ledger = await ctx.openLedger({ create: false });
    try {
      record = await ledgerRecord(ledger);
    } finally {
      await ledger.close();
    }
  }
  emit(ctx, {
    title: `Budgets at ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    // latest_usage_at: where the ledger's usage ends, so a script can tell $0 spent from nothing imported;
    // recorded_until: where each provider's record stops, which its run rates and forecasts start from.
    json: { at: now.toISOString(), latest_usage_at: record.latest, recorded_until: recordedUntilJson(record, now), rows: rows.map((s) => budgetJson(s, unpriced.get(s.name) ?? 0)) },
    table: budgetTable(rows, ctx.globals.format, ctx.chalk),
  });
  // A price change the catalogue has scheduled inside a period, named under the table as forecast names it.
  if (ctx.globals.format === 'table') for (const line of priceChangeLines(rows.map((s) => ({ name: s.name, steps: s.price_changes ?? [] })))) ctx.io.stdout.write(`${line}\n`);
  for (const [name, kept] of pricesKept) for (const note of keptNotes(`budget ${name}`, { untouched: kept })) ctx.warn(note);
  const stale = rows.length > 0 ? staleLedgerHint(record, now, '--at') : undefined;
  if (stale !== undefined) ctx.warn(stale);
  for (const s of rows) {
    const n = unpriced.get(s.name) ?? 0;
    if (n === 0) continue;
    // In a scope, such a row's cost is never the scope's: a bill pays for it as (unattributed).
    // For the whole organisation, a bill of its month counts it; without one nothing does.
    const scoped = config.budgets.some((b) => b.name === s.name && Object.keys(b.scope).length > 0);
    const their = n === 1 ? 'its' : 'their';
    const counted = scoped
      ? `the ${formatUsd(s.spent_usd)} spent leaves out ${their} cost, which is unknown, not $0`
      : `the ${formatUsd(s.spent_usd)} spent counts ${their} cost only where an imported bill of ${their} month pays for it, and otherwise it is unknown, not $0`;
    ctx.warn(
      `budget ${s.name}: ${withoutPrice(n)} in its current period (an unknown model): ${counted}; ` +
        'add the model under pricing.custom_models (`llmfin report --by model` names it)',
    );
  }
  const known = knownDimensions(attributor, config.attribution.dimensions);
  for (const budget of unmatched) {
    const dims = Object.keys(budget.scope).filter((k) => k !== 'key').map(scopeDimension);
    // A scope may name any tag key, but a report groups by one only once it is declared:
    // without saying so, the report suggested would be refused (exit 2).
    const undeclared = dims.filter((d) => !known.includes(d));
    const declare = undeclared.length > 0 ? `, after listing ${undeclared.join(', ')} under attribution.dimensions in llmfin.yaml` : '';
    const check = dims.length > 0 ? `; check the spelling of its value${dims.length > 1 ? 's' : ''} against \`llmfin report --by ${dims.join(',')}\`${declare}` : '';
    ctx.warn(`budget ${budget.name}: no spend in the ledger has ever matched its scope (${describeScope(budget.scope)})${check}`);
  }
  if (opts.failOnBreach) {
    const breached = rows.filter((r) => r.breached);
    if (breached.length > 0) throw new CheckFailedError(`budget limit reached: ${breached.map((b) => `${b.name} (${b.percent}%)`).join(', ')}`);
  }
}

/**
 * Each provider's recorded-until (recorded-until.ts), by provider in name order: the end of
 * the UTC day of its latest usage, or `at` when that day is today.
 */
function recordedUntilJson(record: LedgerRecord, now: Date): Record<string, string> {
  const providers = [...record.byProvider.keys()].sort(compareText);
  return Object.fromEntries(providers.map((p) => [p, new Date(providerRecordedUntil(record, p, now)).toISOString()]));
}
