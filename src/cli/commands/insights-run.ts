/** `llmfin insights`: reads the window, runs the finders (insights/) and prints them ranked. */
import { usageSpan } from '../../ledger/queries/latest-usage.js';
import { noUsageYet } from '../../budgets/stale-ledger-hint.js';
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { parsePeriod } from '../report-period.js';
import { windowEdge } from '../window-edge.js';
import type { InsightsOptions } from './insights.js';
import { parseWhole } from './forecast-options.js';
import { Attributor } from '../../attribution/attributor.js';
import { findAnomalies } from '../../anomalies/find-anomalies.js';
import { budgetStatuses } from '../../forecast/budget-trajectory.js';
import { findInsights, loadUsage } from '../../insights/build-insights.js';
import { invoiceAlignedSince } from '../../insights/invoice-aligned-since.js';
import { recordedInvoices } from '../../ledger/queries/invoice-list.js';
import { savingsTotal } from '../../insights/savings-total.js';
import { unpricedRowsWarning } from '../../shared/count-noun.js';
import { UsageError } from '../../shared/errors.js';
import { dec, formatUsd } from '../../shared/money.js';
import { usdPerMonth } from '../../insights/insight.js';

const DAY_MS = 86_400_000;

export async function insightsCommand(ctx: CliContext, opts: InsightsOptions): Promise<void> {
  const top = parseWhole('--top', opts.top, true);
  const now = new Date();
  const period = parsePeriod({ ...(opts.since !== undefined ? { since: opts.since } : {}), ...(opts.until !== undefined ? { until: opts.until } : {}) }, now);
  const { config } = await ctx.config();
  const attributor = new Attributor(config.attribution.rules);
  const pricer = await ctx.pricer();
  const ledger = await ctx.openLedger({ create: false });
  let result: ReturnType<typeof findInsights>;
  let window: { since: string; until: string };
  let unpricedRows: number;
  // A window with no usage at all (before the ledger's first day, or an empty ledger) is
  // said as such, not as "nothing to save" over a $0 month.
  let emptyWindow: string | undefined;
  let untokenedUsd = 0;
  let cutInvoice: string | undefined;
  try {
    const span = await usageSpan(ledger);
    const { first, last } = span;
    const lastDay = last !== null ? Date.parse(`${last.slice(0, 10)}T00:00:00Z`) + DAY_MS : Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const until = period.until ?? new Date(Math.min(lastDay, Math.ceil(now.getTime() / DAY_MS) * DAY_MS)).toISOString();
    // Days before the ledger's first usage are not days of zero spend: a month is scaled
    // from the days the ledger covers, so a week-old ledger is not read as a quarter of its spend.
    const firstDay = first !== null ? `${first.slice(0, 10)}T00:00:00.000Z` : null;
    const asked = period.since ?? new Date(Date.parse(until) - 30 * DAY_MS).toISOString();
    const clamped = firstDay !== null && Date.parse(firstDay) > Date.parse(asked) && Date.parse(firstDay) < Date.parse(until) ? firstDay : asked;
    // The default window does not cut an invoice (its unexplained money sits on its first
    // day, invoice-aligned-since.ts); a --since the user gave is kept, and said to cut one.
    const aligned = invoiceAlignedSince(await recordedInvoices(ledger, { since: clamped, until }), clamped);
    const since = period.since === undefined ? aligned : clamped;
    if (aligned !== clamped && period.since !== undefined) {
      cutInvoice = `--since ${clamped.slice(0, 10)} starts inside an invoiced period: any money its invoice bills beyond the ledger's rows is placed on ${aligned.slice(0, 10)} and is left out — give --since ${aligned.slice(0, 10)} to count it`;
    }
    // --until given is checked against --since by parsePeriod; the ledger's own end is not.
    if (Date.parse(since) >= Date.parse(until)) {
      const lastUsage = last !== null ? last.slice(0, 10) : null;
      throw new UsageError(`--since: expected a day before the end of the usage to read (${until.slice(0, 10)}, exclusive${lastUsage ? `: the ledger's last usage is on ${lastUsage}` : ''}), got ${since.slice(0, 10)}`, {
        option: '--since',
        hint: lastUsage ? `read the ledger's last 30 days with no --since, or give an earlier one such as --since ${new Date(Date.parse(until) - 30 * DAY_MS).toISOString().slice(0, 10)}` : 'import some usage first (`llmfin import`)',
      });
    }
    window = { since, until };
    // In days and parts of one: a --since within a day covers hours, and a month is scaled
    // from them. Only the part that has passed: the rest of today is not hours of no spend.
    const covered = Math.min(Date.parse(until), now.getTime()) - Date.parse(since);
    const days = (covered > 0 ? covered : Date.parse(until) - Date.parse(since)) / DAY_MS;
    const usage = await loadUsage(ledger, attributor, window);
    const cells = usage.cells;
    unpricedRows = usage.unpriced_rows;
    if (usage.usage_rows === 0) {
      emptyWindow =
        first === null || last === null
          ? `no usage in this period: nothing to judge; ${noUsageYet(span)}`
          : `no usage from ${since.slice(0, 10)} to ${until.slice(0, 10)} (exclusive): nothing to judge; the ledger's usage runs from ${first.slice(0, 10)} to ${last.slice(0, 10)} — check --since/--until`;
    }
    const found = await findAnomalies(ledger, attributor, {
      by: ['feature'],
      since: new Date(Date.parse(until) - 90 * DAY_MS).toISOString(),
      until,
      basis: 'default',
      settings: config.anomalies,
    });
    const recent = found.anomalies.filter((a) => a.until.slice(0, 10) >= since.slice(0, 10));
    // The statuses `budget status` and `forecast` show: one judgement of budget risk.
    const budgets = await budgetStatuses(ledger, attributor, pricer, config.budgets, now);
    result = findInsights({ cells, days, anomalies: recent, budgets, pricer, at: now });
    // Money with no token counts behind it (billed exports, invoices) is in the monthly spend
    // but no finder that prices a model can weigh it: say how much, not nothing.
    const tokenless = cells.filter((c) => c.mix.input_tokens + c.mix.output_tokens === 0).reduce((sum, c) => sum.plus(c.mix.cost), dec(0));
    untokenedUsd = usdPerMonth(tokenless, days);
  } finally {
    await ledger.close();
  }
  const shown = result.insights.slice(0, top);
  const savings = savingsTotal(result.insights);
  const json = {
    since: window.since,
    until: window.until,
    monthly_spend_usd: result.monthly_total_usd,
    // Savings only, each model's spend counted once (see savings-total.ts): the insights'
    // own impacts overlap, and risks are exposure, not money saved.
    savings_usd_per_month: savings,
    // The N most important, as the table shows them: --top 2 --format csv is two rows.
    rows: shown,
    unpriced_rows: unpricedRows,
  };
  emit(ctx, {
    json,
    title: `Insights · ${windowEdge(window.since)} to ${windowEdge(window.until)} (exclusive) · spend ${formatUsd(result.monthly_total_usd)} a month${savings > 0 ? ` · savings at least ${formatUsd(savings)} a month (each model's spend counted once)` : ''}`,
    table: {
      columns: [
        { key: 'priority', header: 'PRIORITY' },
        { key: 'kind', header: 'KIND' },
        { key: 'title', header: 'WHAT' },
        { key: 'impact', header: '$/MONTH', align: 'right' },
        { key: 'effort', header: 'EFFORT' },
        { key: 'action', header: 'ACTION' },
      ],
      rows: shown.map((i) => ({ priority: i.priority, kind: i.kind, title: i.title, impact: formatUsd(i.impact_usd_per_month), effort: i.effort, action: i.action })),
    },
  });
  // Spend the ledger could not price is in neither the monthly spend nor any saving: said on stderr whatever the format.
  if (unpricedRows > 0) {
    ctx.warn(unpricedRowsWarning(unpricedRows, 'their cost is unknown, so it is in neither the monthly spend nor any saving'));
  }
  if (untokenedUsd > 0) {
    const share = result.monthly_total_usd > 0 ? ` (${Math.round((untokenedUsd / result.monthly_total_usd) * 100)}% of the spend)` : '';
    ctx.warn(
      `${formatUsd(untokenedUsd)} a month${share} has no token counts (billed exports, invoices): the model, caching and batch findings cannot weigh it — import usage exports or meter it with \`llmfin proxy\` to see its savings`,
    );
  }
  if (cutInvoice !== undefined) ctx.warn(cutInvoice);
  // Whatever the format: a cron job reading JSON must not take an empty window for a clean bill.
  if (emptyWindow !== undefined) ctx.warn(emptyWindow);
  else if (ctx.globals.format !== 'json' && result.insights.length === 0) ctx.info('no insights for this period: nothing to save that llmfin can see');
}
