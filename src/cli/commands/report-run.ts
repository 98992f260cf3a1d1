/** `llmfin report`: parses the options, builds the report (reports/) and prints it. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import type { Column } from '../output/table.js';
import { parsePeriod, parseBy, parseWhere, parseBasis } from '../report-period.js';
import type { ReportOptions } from './report.js';
import { Attributor } from '../../attribution/attributor.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { buildReport, SORTS, type Basis, type Report, type ReportSort } from '../../reports/build-report.js';
import { checkDimensions, checkTimeValues, isTimeDimension, knownDimensions } from '../../reports/report-dimensions.js';
import { UsageError } from '../../shared/errors.js';
import { countNoun, unpricedRowsWarning } from '../../shared/count-noun.js';
import { dec, formatUsd, ticksToUsd, usdToTicks } from '../../shared/money.js';
import { renderSparklines } from '../output/sparklines.js';
import { describePools } from './report-explain.js';
import { explainEmptyWhere } from './empty-where.js';
import { emptyWindowNote } from './empty-window-note.js';
import { assertChartWithTable } from '../chart-option.js';
import { windowEdge } from '../window-edge.js';

export async function reportCommand(ctx: CliContext, opts: ReportOptions): Promise<void> {
  const { config } = await ctx.config();
  const attributor = new Attributor(config.attribution.rules);
  const known = knownDimensions(attributor, config.attribution.dimensions);
  const by = parseBy(opts.by);
  checkDimensions(by, known, '--by');
  const where = parseWhere(opts.where);
  checkDimensions(Object.keys(where), known, '--where');
  checkTimeValues(where);
  const basis = parseBasis(opts.basis);
  const sort = parseSort(opts.sort);
  const top = parseTop(opts.top);
  const period = parsePeriod(opts);

  if (opts.metrics !== undefined) {
    if (opts.metrics !== 'units') throw new UsageError(`--metrics: expected units, got "${opts.metrics}"`, { option: '--metrics' });
    refuseUnread(opts, '--metrics units', 'its tables are tokens per request, cost per customer and feature, loop length, tier mix and traces', ['by', 'sort', 'chart', 'explain', 'chargeback', 'rollup']);
    const { unitsCommand } = await import('./report-units.js');
    await unitsCommand(ctx, { period, where, top: top ?? 10, basis, attributor });
    return;
  }
  if (opts.chargeback) {
    if (Object.keys(where).length > 0) {
      throw new UsageError('--where: not with --chargeback, which splits the shared costs over all spend in the period', { option: '--where', hint: 'narrow the period with --month or --since/--until instead' });
    }
    refuseUnread(opts, '--chargeback', 'it prints direct, shared and total spend per team (or per the over: of attribution.shared)', ['by', 'top', 'sort', 'chart', 'explain', 'rollup']);
    const { chargebackCommand } = await import('./report-chargeback.js');
    await chargebackCommand(ctx, { period, basis, attributor });
    return;
  }

  assertChartWithTable(opts.chart, ctx.globals.format);
  const ledger = await ctx.openLedger({ create: false });
  try {
    const report = await buildReport(ledger, attributor, { by, where, ...period, basis, sort, ...(top !== undefined ? { top } : {}), noRollup: !opts.rollup });
    // An empty window says where the ledger's usage is: a ledger with spend elsewhere needs another window, not an import.
    const empty = report.rows.length === 0 ? await emptyWindowNote(ledger, attributor, { basis, where, ...period, noRollup: !opts.rollup }) : undefined;
    // A --where value the other layers have is not misspelt: the note says where it is.
    // A value no spend has is the cause on its own: the note would blame the period too.
    const misspelt = empty !== undefined && !empty.onOtherLayers && (await explainEmptyWhere(ctx, ledger, attributor, where, basis));
    printReport(ctx, report, { explain: opts.explain ?? false, empty: misspelt ? undefined : empty?.text, where });
    if (basis === 'billed') await warnInvoicesNotBilledRows(ctx, ledger, attributor, period, where);
    if (opts.chart) {
      const series = await chartSeries(ctx, report, { by, where, period, basis, attributor, noRollup: !opts.rollup, top });
      ctx.io.stdout.write(series);
    }
  } finally {
    await ledger.close();
  }
}

/** The flag each option is given with on the command line (`rollup` is set by --no-rollup). */
const FLAGS: Partial<Record<keyof ReportOptions, string>> = { by: '--by', sort: '--sort', top: '--top', chart: '--chart', explain: '--explain', chargeback: '--chargeback', rollup: '--no-rollup' };

/**
 * `--basis billed` is the billed export rows alone: an invoice is not a row, so a month
 * billed by an invoice and no billed export reads $0 there although the default basis
 * takes its money from the invoice. Name such USD invoices of the window (of its provider,
 * when --where picks one; none when --where picks what an invoice has no value for).
 */
async function warnInvoicesNotBilledRows(
  ctx: CliContext,
  ledger: LedgerStore,
  attributor: Attributor,
  period: { since?: string; until?: string },
  where: Record<string, string>,
): Promise<void> {
  if (Object.keys(where).some((d) => d !== 'provider')) return;
  const [{ invoicePeriods }, { invoiceMeets }, { monthsAround }] = await Promise.all([
    import('../../ledger/queries/usage-facts.js'),
    import('../../reports/invoice-months.js'),
    import('../../reports/report-dimensions.js'),
  ]);
  const monthOf = (inv: { period_start: string | null; issued_at: string | null }) => (inv.period_start ?? inv.issued_at ?? '').slice(0, 7);
  const invoices = (await invoicePeriods(ledger, monthsAround(period))).filter(
    (inv) => (where.provider === undefined || inv.provider === where.provider) && inv.usage_ticks !== 0n && invoiceMeets({ ...inv, month: monthOf(inv) }, period),
  );
  if (invoices.length === 0) return;
  // The provider-months the billed exports do cover: there the invoice is the same spend again.
  const billed = await buildReport(ledger, attributor, { by: ['provider', 'month'], ...period, basis: 'billed', sort: 'name' });
  const covered = new Set(billed.rows.map((r) => `${r.provider} ${r.month}`));
  const missing = invoices.filter((inv) => !covered.has(`${inv.provider} ${monthOf(inv)}`));
  if (missing.length === 0) return;
  const named = missing.slice(0, 5).map((inv) => `${inv.provider} ${inv.number} (usage ${formatUsd(ticksToUsd(inv.usage_ticks))})`);
  const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
  const one = missing.length === 1;
  ctx.warn(
    `basis billed counts billed export rows only, and ${one ? 'an invoice' : `${missing.length} invoices`} of these dates with no billed export beside ${one ? 'it is' : 'them are'} not in it: ` +
      `${named.join(', ')}${more}; the default basis takes ${one ? 'its' : 'their'} month's money from ${one ? 'it' : 'them'} (\`llmfin report --explain\`), or import the provider's cost export`,
  );
}

/**
 * A view that does not read an option given on the command line refuses it (exit 2)
 * rather than print the same view as if it had been read.
 */
function refuseUnread(opts: ReportOptions, view: string, why: string, keys: ReadonlyArray<keyof ReportOptions>): void {
  for (const key of keys) {
    if (opts.given?.has(key)) {
      const flag = FLAGS[key]!;
      throw new UsageError(`${flag}: not with ${view}, which does not read it (${why})`, { option: flag, hint: `drop ${flag}, or run the report without ${view}` });
    }
  }
}

function parseSort(value: string): ReportSort {
  if ((SORTS as readonly string[]).includes(value)) return value as ReportSort;
  throw new UsageError(`--sort: expected ${SORTS.join(', ')}, got "${value}"`, { option: '--sort' });
}

function parseTop(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--top: expected a whole number >= 1, got "${value}"`, { option: '--top' });
  return Number(value);
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const ratio = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);
const count = (n: number) => n.toLocaleString('en-US');

function printReport(ctx: CliContext, report: Report, options: { explain: boolean; empty: string | undefined; where: Readonly<Record<string, string>> }): void {
  const exact = ctx.globals.format === 'csv';
  const money = (row: { cost_usd_exact: string }) => (exact ? row.cost_usd_exact : formatUsd(dec(row.cost_usd_exact)));
  const usd = (text: string | undefined) => (text === undefined ? '' : exact ? text : formatUsd(dec(text)));
  const savings = report.total.saved_usd_exact !== undefined;
  const unit = (v: number | null) => (v === null ? '–' : exact ? String(v) : formatUsd(v, { unit: true }));
  const columns: Column[] = [
    ...report.group_by.map((d) => ({ key: d, header: d.toUpperCase() })),
    { key: 'cost', header: 'COST', align: 'right' as const },
    { key: 'share', header: 'SHARE', align: 'right' as const },
    { key: 'requests', header: 'REQUESTS', align: 'right' as const },
    { key: 'input', header: 'INPUT TOK', align: 'right' as const },
    { key: 'output', header: 'OUTPUT TOK', align: 'right' as const },
    { key: 'cache', header: 'CACHE HIT', align: 'right' as const },
    { key: 'per_request', header: '$/REQUEST', align: 'right' as const },
    { key: 'per_1m', header: '$/1M TOK', align: 'right' as const },
    // Grouped by routing: what the requested models would have cost, and what rewriting saved.
    ...(savings ? [{ key: 'original', header: 'ORIGINAL', align: 'right' as const }, { key: 'saved', header: 'SAVED', align: 'right' as const }] : []),
  ];
  const cells = (row: Report['total']) => ({
    // A group whose every priced dollar is $0 because its rows have no price is not free.
    cost: !exact && row.unpriced_rows > 0 && dec(row.cost_usd_exact).isZero() ? 'unpriced' : money(row),
    share: pct(row.share),
    requests: count(row.requests),
    input: count(row.input_tokens),
    output: count(row.output_tokens),
    cache: ratio(row.cache_hit_ratio),
    per_request: unit(row.cost_per_request_usd),
    per_1m: unit(row.cost_per_1m_tokens_usd),
    // A group whose only rewritten rows have no original cost saved an unknown amount, not $0.
    ...(savings
      ? { original: usd(row.original_cost_usd_exact), saved: !exact && (row.unpriced_routed_rows ?? 0) > 0 && dec(row.saved_usd_exact ?? '0').isZero() ? 'unpriced' : usd(row.saved_usd_exact) }
      : {}),
  });
  // JSON carries money as numbers (PRODUCT.md); the exact texts are for CSV.
  const jsonOf = ({ cost_usd_exact: _exact, original_cost_usd_exact: _original, saved_usd_exact: _saved, ...row }: Report['total']) => row;
  const json = {
    basis: report.basis,
    since: report.since,
    until: report.until,
    group_by: report.group_by,
    rows: report.rows.map(jsonOf),
    total: jsonOf(report.total),
    // Not in `requests` (queries/usage-facts.ts, FAILED_ATTEMPT): the count, so that a script can tell.
    failed_attempts: report.total_sums.failed_attempts,
    ...(options.explain ? { explain: describePools(report, options.where).json } : {}),
  };
  const footer = report.group_by.length > 0 ? { ...Object.fromEntries(report.group_by.map((d, i) => [d, i === 0 ? 'total' : ''])), ...cells(report.total) } : undefined;
  const rows = report.group_by.length > 0 ? report.rows.map((r) => ({ ...Object.fromEntries(report.group_by.map((d) => [d, r[d]])), ...cells(r) })) : [cells(report.total)];
  const span = `${report.since ? windowEdge(report.since) : 'the beginning'} to ${report.until ? windowEdge(report.until) + ' (exclusive)' : 'now'}`;
  const title = `Spend by ${report.group_by.join(', ') || 'nothing'} · ${span} · basis ${report.basis}`;
  emit(ctx, { json, title, table: { columns, rows, ...(footer ? { footer } : {}) } });
  // Money the report cannot count, on stderr whatever the format, so a script sees it too.
  for (const inv of report.other_currency_invoices) {
    ctx.warn(`invoice ${inv.number} (${inv.provider} ${inv.month}) is in ${inv.currency}, not USD: it is left out, and the month is counted from its other layers`);
  }
  if (ctx.globals.format !== 'json') {
    // CSV on stdout is rows only, for a file or a pipe: the explanation goes beside it, on stderr.
    if (options.explain) (ctx.globals.format === 'csv' ? ctx.io.stderr : ctx.io.stdout).write(describePools(report, options.where).text);
    if (report.total.unpriced_rows > 0) {
      const one = report.total.unpriced_rows === 1;
      ctx.warn(
        unpricedRowsWarning(
          report.total.unpriced_rows,
          `${one ? 'its tokens are counted, its cost is' : 'their tokens are counted, their cost is'} not, and cost per request and per 1M tokens leave ${one ? 'it' : 'them'} out`,
        ),
      );
    }
    const unsaved = report.total.unpriced_routed_rows ?? 0;
    if (unsaved > 0) {
      const one = unsaved === 1;
      ctx.warn(
        `${unsaved} routed row${one ? '' : 's'} ha${one ? 's' : 've'} no recorded original cost (the requested model had no price): ` +
          `SAVED leaves ${one ? 'it' : 'them'} out rather than count $0 saved, and ORIGINAL counts ${one ? 'it' : 'them'} at what ${one ? 'it' : 'they'} cost`,
      );
    }
    const failed = report.total_sums.failed_attempts;
    if (failed > 0) {
      ctx.info(
        `${countNoun(failed, 'failed attempt')} (HTTP status >= 400, no tokens: the model never ran) ${failed === 1 ? 'is' : 'are'} not counted as requests, ` +
          'as `llmfin route simulate` and `llmfin check` leave them out',
      );
    }
    if (options.empty !== undefined) ctx.info(options.empty);
    // Cost per request and per 1M tokens leave out spend whose requests or tokens no source
    // counted: say so, with the amounts, so that the total's figures are not read as its
    // cost over its requests or tokens. One note when both leave out the same money; none
    // for a figure the total does not have (no request or token, or none of them priced).
    const cost = usdToTicks(dec(report.total.cost_usd_exact));
    const uncounted = cost - report.total_sums.counted_cost_ticks;
    const untokened = cost - report.total_sums.tokened_cost_ticks;
    const requestNote = report.total.cost_per_request_usd !== null && uncounted !== 0n;
    const tokenNote = report.total.cost_per_1m_tokens_usd !== null && untokened !== 0n;
    const why = "(exports that report none, a bill's unattributed remainder)";
    if (requestNote && tokenNote && uncounted === untokened) {
      ctx.info(
        `cost per request and cost per 1M tokens divide the cost of the rows that count their requests and tokens (${formatUsd(ticksToUsd(report.total_sums.counted_cost_ticks))}) by those requests and tokens; ` +
          `the other ${formatUsd(ticksToUsd(uncounted))} has no request or token count ${why} and is left out of both`,
      );
    } else {
      if (requestNote) {
        ctx.info(
          `cost per request divides the cost of the rows that count their requests (${formatUsd(ticksToUsd(report.total_sums.counted_cost_ticks))}) by those requests; ` +
            `the other ${formatUsd(ticksToUsd(uncounted))} has no request count ${why} and is left out of it`,
        );
      }
      if (tokenNote) {
        ctx.info(
          `cost per 1M tokens divides the cost of the rows that count their tokens (${formatUsd(ticksToUsd(report.total_sums.tokened_cost_ticks))}) by those tokens; ` +
            `the other ${formatUsd(ticksToUsd(untokened))} has no token count ${why} and is left out of it`,
        );
      }
    }
  }
}

async function chartSeries(
  ctx: CliContext,
  report: Report,
  o: { by: string[]; where: Record<string, string>; period: { since?: string; until?: string }; basis: Basis; attributor: Attributor; noRollup: boolean; top: number | undefined },
): Promise<string> {
  const groupDims = o.by.filter((d) => !isTimeDimension(d));
  const first = report.since ?? null;
  const last = report.until ?? null;
  const spanDays = first && last ? (Date.parse(last) - Date.parse(first)) / 86_400_000 : 90;
  const bucket = spanDays > 120 ? 'week' : 'day';
  const ledger = await ctx.openLedger({ create: false });
  try {
    const series = await buildReport(ledger, o.attributor, { by: [...groupDims, bucket], where: o.where, ...o.period, basis: o.basis, sort: 'name', noRollup: o.noRollup });
    const keep = report.rows.map((r) => groupDims.map((d) => r[d]).join(' · '));
    return renderSparklines(series.rows, groupDims, bucket, keep, ctx.chalk);
  } finally {
    await ledger.close();
  }
}
