/** `llmfin reconcile`: per provider and month, the reference bill against llmfin's estimate. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { parsePeriod } from '../report-period.js';
import { invoiceKindSums, layerModelSums, spanningSums } from '../../ledger/queries/reconcile-facts.js';
import { foreignInvoices } from '../../ledger/queries/usage-facts.js';
import { catalogueMakers, isMakerPrefixed, makerModelId, withoutMaker } from '../../pricing/maker-prefix.js';
import { isResolved, parseModelId, resolveModel } from '../../pricing/resolve-model.js';
import { unexplainedPercentText } from '../../reports/unexplained-percent-text.js';
import { invoiceSpans, reconcile, shareSpanningSums, type ReconcileRow, type RowDays } from '../../reports/reconcile.js';
import { monthsAround } from '../../reports/report-dimensions.js';
import { CheckFailedError, UsageError } from '../../shared/errors.js';
import { formatInCurrency, formatUsd, ticksToUsd, usdToTicks } from '../../shared/money.js';
import { countNoun } from '../../shared/count-noun.js';

export async function reconcileCommand(ctx: CliContext, opts: { month?: string; since?: string; until?: string; provider?: string; failOver?: string }): Promise<void> {
  const asked = parsePeriod(opts);
  const period = monthsAround(asked);
  if (period.since !== asked.since || period.until !== asked.until) {
    ctx.info(`reconcile compares whole months (an invoice is for a month): reading ${period.since?.slice(0, 10) ?? 'the beginning'} to ${period.until?.slice(0, 10) ?? 'now'}`);
  }
  let failOver: number | undefined;
  if (opts.failOver !== undefined) {
    const m = /^(\d+(\.\d+)?)%?$/.exec(opts.failOver.trim());
    if (!m) throw new UsageError(`--fail-over: expected a percentage such as 2 or 2.5%, got "${opts.failOver}"`, { option: '--fail-over' });
    failOver = Number(m[1]);
  }
  const pricer = await ctx.pricer();
  const { catalogue } = pricer;
  // llmfin's price of a day's web searches on a model: its web_search component alone.
  const searchFee = (provider: string, model: string, day: string, searches: number): bigint => {
    const r = pricer.price({ provider, model, at: new Date(`${day}T12:00:00.000Z`), usage: { input: 0, output: 0, webSearches: searches, requests: 0 } });
    const fee = r.status === 'priced' ? r.breakdown.components.web_search?.cost : undefined;
    return fee === undefined ? 0n : usdToTicks(fee);
  };
  const at = new Date(period.until ?? Date.now());
  const keys = new Map<string, string | null>();
  const modelKey = (provider: string, model: string | null) => {
    if (model === null) return null;
    const k = `${provider}\u0000${model}`;
    let v = keys.get(k);
    if (v === undefined) {
      const r = resolveModel(catalogue, { provider, model, at });
      v = isResolved(r) ? r.model.id : isMakerPrefixed(provider) ? makerKey(provider, model) : model;
      keys.set(k, v);
    }
    return v;
  };
  // A Bedrock id with its maker and the bare one are one model (a CUR's
  // `anthropic.claude-sonnet-4-5`, a proxy's `claude-sonnet-4-5`): the catalogue id the
  // maker's spelling resolves to, else the id without its maker, on both sides.
  const makerKey = (provider: string, model: string) => {
    const id = parseModelId(model, provider, (p) => catalogue.canonicalProviderId(p) !== undefined).id;
    return makerModelId(catalogue, provider, model, at) ?? withoutMaker(id, catalogueMakers(catalogue)) ?? id;
  };
  const ledger = await ctx.openLedger({ create: false });
  let rows: ReconcileRow[];
  try {
    // Every invoice (a few a month), since one whose period overlaps another's is compared
    // with it whichever months they start in, and the layers over all the days of the
    // invoice periods that meet these months: such a period is compared on its own days.
    const invoices = await invoiceKindSums(ledger, {});
    const read = readRange(period, [...invoiceSpans(invoices).values()].flat().filter((d) => daysMeet(d, period)));
    if (read.since !== period.since || read.until !== period.until) {
      ctx.info(`an invoice's period runs past these months: reading ${read.since?.slice(0, 10) ?? 'the beginning'} to ${read.until?.slice(0, 10) ?? 'now'} to compare it with the same days`);
    }
    const sums = shareSpanningSums(await layerModelSums(ledger, read), await spanningSums(ledger, read), invoices);
    rows = reconcile(sums, invoices, modelKey, await foreignInvoices(ledger, period), searchFee).filter((r) => rowIn(r, period));
  } finally {
    await ledger.close();
  }
  const all = rows;
  // Providers are recorded in lower case (openai, anthropic): --provider OpenAI means openai.
  const provider = opts.provider?.trim().toLowerCase();
  if (provider !== undefined) rows = rows.filter((r) => r.provider === provider);

  const usd = (t: bigint | null) => (t === null ? null : ticksToUsd(t).toNumber());
  const cell = (t: bigint | null) => (t === null ? '–' : ctx.globals.format === 'csv' ? ticksToUsd(t).toFixed() : formatUsd(ticksToUsd(t)));
  emit(ctx, {
    title: `Reconciliation · ${period.since?.slice(0, 10) ?? 'the beginning'} to ${period.until?.slice(0, 10) ?? 'now'}`,
    json: {
      since: period.since ?? null,
      until: period.until ?? null,
      rows: rows.map((r) => ({
        provider: r.provider,
        month: r.month,
        // Only for a row that is not one calendar month: the days it compares.
        ...(r.days !== undefined ? { days: { from: r.days.from, to: r.days.to, count: r.days.count, invoiced: r.days.invoiced } } : {}),
        invoice_total_usd: usd(r.invoice_total_ticks),
        invoice_usage_usd: usd(r.invoice_usage_ticks),
        billed_total_usd: usd(r.billed_total_ticks),
        billed_usage_usd: usd(r.billed_usage_ticks),
        reference: r.reference,
        estimate_layer: r.estimate_layer,
        estimate_usd: usd(r.estimate_ticks),
        estimate_unpriced_rows: r.estimate_unpriced_rows,
        metered_usd: usd(r.metered_ticks),
        variance_usd: usd(r.variance_ticks),
        unexplained_usd: usd(r.unexplained_ticks),
        unexplained_percent: r.unexplained_percent,
        explanations: r.explanations.map((e) => ({ kind: e.kind, explains: e.explains, usd: usd(e.ticks), detail: e.detail })),
        other_currency_invoices: r.other_currency_invoices,
        notes: r.notes,
      })),
    },
    table:
      ctx.globals.format === 'table' || ctx.globals.format === 'markdown'
        ? textReport(rows, cell, ctx.globals.format === 'markdown', failOver)
        : {
            columns: ['provider', 'month', 'invoice', 'billed', 'estimate', 'layer', 'variance', 'unexplained', 'unexplained_pct'].map((k) => ({ key: k, header: k.toUpperCase() })),
            rows: rows.map((r) => ({
              provider: r.provider,
              month: rowPeriod(r),
              invoice: cell(r.invoice_usage_ticks),
              billed: cell(r.billed_usage_ticks),
              estimate: cell(r.estimate_ticks),
              layer: r.estimate_layer ?? '',
              variance: cell(r.variance_ticks),
              unexplained: cell(r.unexplained_ticks),
              unexplained_pct: r.unexplained_percent === null ? '' : String(r.unexplained_percent),
            })),
          },
  });
  if (rows.length === 0 && all.length > 0) {
    ctx.warn(`--provider ${opts.provider}: nothing to reconcile for it in this period; the providers here are ${[...new Set(all.map((r) => r.provider))].join(', ')}`);
  } else if (rows.length === 0 && failOver !== undefined) {
    // A gate with nothing to compare passes (exit 0: nothing failed), but not in silence: a
    // CI job pointed at the wrong ledger or month would otherwise pass every month.
    ctx.warn('--fail-over: nothing to reconcile in this period (no invoice, billed export or usage), so nothing was judged; import invoices, cost exports and usage exports first');
  } else if (rows.length === 0 && ctx.globals.format !== 'json') ctx.info('nothing to reconcile in this period: import invoices, cost exports and usage exports first');
  if (failOver !== undefined) {
    // A month with nothing billed has no variance to judge: say so, since a finance job
    // that forgot to import the bill would otherwise pass without a word.
    const name = (r: ReconcileRow) => `${r.provider} ${rowPeriod(r)}`;
    const unjudged = rows.filter((r) => r.unexplained_percent === null);
    // A bill in another currency is a bill too, never added as dollars: named apart, with what would let it be judged.
    const noBill = unjudged.filter((r) => r.reference === null && r.other_currency_invoices.length === 0 && r.invoice_total_ticks === null);
    // An invoice of tax, fees or other services only bills no LLM usage to judge by.
    const noUsageLines = unjudged.filter((r) => r.reference === null && r.other_currency_invoices.length === 0 && r.invoice_total_ticks !== null);
    const foreignBill = unjudged.filter((r) => r.reference === null && r.other_currency_invoices.length > 0);
    const noEstimate = unjudged.filter((r) => r.reference !== null && r.estimate_ticks === null);
    const zeroBill = unjudged.filter((r) => r.reference !== null && r.estimate_ticks !== null);
    if (noBill.length > 0) ctx.warn(`--fail-over: no invoice or billed export to judge ${noBill.map(name).join(', ')} against; import the bill to check it`);
    if (noUsageLines.length > 0) {
      ctx.warn(`--fail-over: the invoice of ${noUsageLines.map(name).join(', ')} has no LLM usage lines and no billed export is imported, so there is nothing to judge; import the provider's cost export, or the invoice with its usage lines`);
    }
    if (foreignBill.length > 0) {
      const which = foreignBill.map((r) => `${name(r)} (${r.other_currency_invoices.map((f) => `${f.number} in ${f.currency}`).join(', ')})`).join(', ');
      ctx.warn(`--fail-over: only invoices in another currency than USD to judge ${which} against, so it was not judged; import the provider's USD cost export, or the invoice with its amounts in USD`);
    }
    if (noEstimate.length > 0) ctx.warn(`--fail-over: no usage export or metered rows to judge the bill of ${noEstimate.map(name).join(', ')} by; import them to check it`);
    if (zeroBill.length > 0) ctx.warn(`--fail-over: a $0 bill for ${zeroBill.map(name).join(', ')}: a variance cannot be a share of it, so it was not judged`);
    const over = rows.flatMap((r) => (r.unexplained_percent !== null && Math.abs(r.unexplained_percent) > failOver ? [`${name(r)} ${unexplainedPercentText(r.unexplained_percent, failOver)}`] : []));
    if (over.length > 0) {
      throw new CheckFailedError(`unexplained variance over ${failOver}%: ${over.join(', ')}`);
    }
  }
}

/** A row's month, or the days it compares (FROM..TO) when it is not one calendar month. */
const rowPeriod = (r: ReconcileRow) => (r.days === undefined ? r.month : `${r.days.from}..${r.days.to}`);

type Range = { since?: string; until?: string };
const monthIn = (month: string, p: Range) => (p.since === undefined || month >= p.since.slice(0, 7)) && (p.until === undefined || `${month}-01T00:00:00.000Z` < p.until);
const daysMeet = (d: RowDays, p: Range) => (p.since === undefined || d.to >= p.since.slice(0, 10)) && (p.until === undefined || `${d.from}T00:00:00.000Z` < p.until);

/** `p` widened to every day of the invoice periods `spans`. */
function readRange(p: Range, spans: readonly RowDays[]): Range {
  const out = { ...p };
  for (const days of spans) {
    const from = `${days.from}T00:00:00.000Z`;
    const until = new Date(Date.parse(`${days.to}T00:00:00.000Z`) + 86_400_000).toISOString();
    if (out.since !== undefined && from < out.since) out.since = from;
    if (out.until !== undefined && until > out.until) out.until = until;
  }
  return out;
}

/** A row of these months: an invoice period that meets them, or a month (or its days no invoice period covers) inside them. */
const rowIn = (r: ReconcileRow, p: Range) => (r.days?.invoiced ? daysMeet(r.days, p) : monthIn(r.month, p));

/** An explanation's kind as the table names it: its JSON name in words ("price difference", "non-LLM"). */
const kindLabel = (kind: string) => (kind === 'non_llm' ? 'non-LLM' : kind.replace(/_/g, ' '));

function textReport(rows: readonly ReconcileRow[], cell: (t: bigint | null) => string, markdown: boolean, failOver: number | undefined): string {
  const out: string[] = [];
  for (const r of rows) {
    const pct = r.unexplained_percent === null ? '' : ` (${unexplainedPercentText(r.unexplained_percent, failOver)} of the bill)`;
    const days = r.days === undefined ? '' : r.days.from === r.days.to ? r.days.from : `${r.days.from} … ${r.days.to}`;
    const when = r.days === undefined ? r.month : r.days.invoiced ? `${days} (${r.days.periods === undefined ? "the invoice's period" : `${r.days.periods} invoices' overlapping periods`}, ${countNoun(r.days.count, 'day')})` : `${r.month}, ${days} (${countNoun(r.days.count, 'day')} no invoice period covers)`;
    out.push(markdown ? `#### ${r.provider} · ${when}` : `${r.provider} · ${when}`);
    // In Markdown a sub-line is a nested item: its indent goes before the dash, or it reads as a sibling.
    const line = (label: string, value: string) =>
      out.push(markdown ? `${label.slice(0, label.length - label.trimStart().length)}- ${label.trimStart()}: ${value}` : `  ${label.padEnd(34)}${value}`);
    const billing = new Set(['invoice_vs_billed', 'credits', 'tax', 'fees', 'support', 'unclassified_meters', 'non_llm']);
    const explain = (pick: (kind: string) => boolean) => {
      for (const e of r.explanations) if (pick(e.kind)) line(`  ${kindLabel(e.kind)}`, `${cell(e.ticks)}  ${e.detail}`);
    };
    for (const f of r.other_currency_invoices) {
      line(`invoice in ${f.currency}`, `${formatInCurrency(f.total, f.currency)} (${f.number}): not in USD, so left out of every amount here`);
    }
    if (r.invoice_total_ticks !== null) line('invoice total', `${cell(r.invoice_total_ticks)} (${r.invoice_usage_ticks === null ? 'no LLM usage lines' : `usage lines ${cell(r.invoice_usage_ticks)}`})`);
    if (r.billed_total_ticks !== null) line('billed exports', `${cell(r.billed_total_ticks)} (usage ${cell(r.billed_usage_ticks)})`);
    explain((k) => billing.has(k));
    // Rows without a price are in no amount: an estimate of only those would read $0.00.
    const unpriced = r.estimate_unpriced_rows > 0 ? ` + ${countNoun(r.estimate_unpriced_rows, 'row')} without a price (cost unknown, not $0)` : '';
    if (r.estimate_layer !== null) line(`llmfin estimate (${r.estimate_layer})`, `${cell(r.estimate_ticks)}${unpriced}`);
    if (r.variance_ticks !== null) line(`variance (${r.reference} - estimate)`, cell(r.variance_ticks));
    // What the variance is explained by, then the unexplained rest with what it is made of
    // (a model's price difference is not an explanation: it is the part to look into).
    const rest = new Set(['price_difference', 'only_estimated']);
    explain((k) => !billing.has(k) && !rest.has(k) && k !== 'unmetered_traffic');
    if (r.unexplained_ticks !== null) {
      line('unexplained', `${cell(r.unexplained_ticks)}${pct}`);
      explain((k) => rest.has(k));
    }
    else if (r.reference === null && r.invoice_total_ticks !== null && r.other_currency_invoices.length === 0) line('unexplained', '– (no LLM usage billed to compare with: see the note)');
    else if (r.reference === null && r.other_currency_invoices.length > 0) line('unexplained', '– (no USD billed data: import a cost export, or the invoice with its amounts in USD)');
    else if (r.reference === null) line('unexplained', '– (no billed data: import a cost export or an invoice)');
    else line('unexplained', '– (no usage to estimate from: import a usage export or proxy rows)');
    for (const n of r.notes) line('note', n);
    // Not a part of the variance: how much of the provider's usage llmfin did not meter.
    for (const e of r.explanations) if (e.kind === 'unmetered_traffic') line('unmetered traffic', `${cell(e.ticks)}  ${e.detail}`);
    out.push('');
  }
  return out.join('\n');
}
