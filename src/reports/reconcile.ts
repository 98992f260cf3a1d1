/**
 * Reconciliation per provider and month: does what llmfin estimated add up to what the
 * provider billed, and does the bill add up to the invoice? Every variance is broken
 * into named causes; what no cause explains is the "unexplained" variance that
 * `--fail-over` gates on (usually a price llmfin does not know: a negotiated discount, a
 * price change, a wrong catalogue entry — listed per model).
 *
 * reference = billed usage (cost exports, CUR…), or the invoice's usage lines without them
 * estimate  = provider usage priced by llmfin, or metered rows without it
 * variance  = reference − estimate
 *   explained: days only one of them covers, billed lines with no model (tools,
 *   storage), models the estimate could not price (unknown to the catalogue), models
 *   billed but absent from the estimate
 *   unexplained = the rest = the per-model price differences (and models only estimated)
 * Separately: invoice total vs billed exports (credits, tax, fees) and provider usage vs
 * metered (traffic that did not go through the proxy).
 *
 * An invoice whose period is not a calendar month (Oct 15 – Nov 14) is compared with the
 * other layers on the days of its period (a row of its own, `days`), and the days of a
 * month no such invoice covers are compared on their own (a row for the month, with its
 * `days`), so neither is judged against a month it does not bill. Invoices whose periods
 * overlap are compared together (`invoiceSpans`), and a credit note takes no days.
 *
 * A cloud account's invoice typed in whole (its other services' lines, `other`; for Google
 * Cloud, its billing account too) is the whole bill, filed under the catalogue's provider (an AWS invoice under bedrock, a Google
 * Cloud one under vertex), while a bill's other rows are under other providers (a CUR's EC2
 * under aws; a Cloud Billing export's Compute Engine under gcp, its Gemini API under
 * google): those rows are compared in the invoice's row (`BILL_OF`), so that its total
 * meets the bill's.
 */
import type { InvoiceKindSum, LayerModelSum, SpanningSum } from '../ledger/queries/reconcile-facts.js';
import { otherPart } from './spanning-shares.js';
import type { ForeignInvoice } from '../ledger/queries/usage-facts.js';
import type { Provenance } from '../ledger/ledger-schema.js';
import { compareText } from '../shared/compare-text.js';
import { andList } from '../shared/and-list.js';
import { countNoun, withoutPrice } from '../shared/count-noun.js';
import { daysInMonth, invoiceDays, invoiceMonthsOf, lastDayOf, monthDays, nextDay } from './invoice-months.js';

/**
 * Which difference an explanation accounts for. The same kind may explain two of them (tax
 * on the invoice explains invoice − billed exports; tax rows in the billed exports are part
 * of the billed total): a script adds up the explanations of one `explains` at a time.
 * - `invoice_vs_billed`: the invoice total minus the billed exports' total;
 * - `billed_total`: what the billed exports hold besides usage;
 * - `variance`: the reference (billed usage, else the invoice's) minus llmfin's estimate;
 * - `unmetered`: the estimate minus the metered rows.
 */
export type Explains = 'invoice_vs_billed' | 'billed_total' | 'variance' | 'unmetered';

export interface Explanation {
  explains: Explains;
  kind: 'credits' | 'tax' | 'fees' | 'support' | 'unclassified_meters' | 'non_llm' | 'days_not_in_estimate' | 'days_not_billed' | 'no_model' | 'unpriced_models' | 'not_in_estimate' | 'price_difference' | 'only_estimated' | 'unmetered_traffic' | 'invoice_vs_billed' | 'web_searches';
  ticks: bigint;
  detail: string;
}

/**
 * The days a row compares when they are not one calendar month: an invoice's period
 * (`invoiced`), or the days of a month that no such invoice covers.
 */
export interface RowDays {
  from: string;
  to: string;
  count: number;
  invoiced: boolean;
  /** How many invoice periods overlap in these days, when more than one (not in JSON). */
  periods?: number;
}

export interface ReconcileRow {
  provider: string;
  /** The calendar month, or the month the row's days start in. */
  month: string;
  days?: RowDays;
  invoice_total_ticks: bigint | null;
  invoice_usage_ticks: bigint | null;
  billed_total_ticks: bigint | null;
  billed_usage_ticks: bigint | null;
  reference: 'billed' | 'invoice' | null;
  estimate_layer: Provenance | null;
  estimate_ticks: bigint | null;
  /** The estimate's rows without a price: their cost is unknown, not in estimate_ticks (not $0). */
  estimate_unpriced_rows: number;
  metered_ticks: bigint | null;
  variance_ticks: bigint | null;
  unexplained_ticks: bigint | null;
  /** unexplained / reference, in percent (null without both). */
  unexplained_percent: number | null;
  explanations: Explanation[];
  /** Invoices in another currency: shown, never added to the USD amounts above. */
  other_currency_invoices: { number: string; currency: string; total: string }[];
  /** What the amounts cannot show, in words (an invoice with no LLM usage line). */
  notes: string[];
}

/** What an invoice line of each kind other than usage is, in a note's words. */
const LINE_KIND_WORDS: Record<Exclude<InvoiceKindSum['kind'], 'usage' | 'unitemised' | 'total'>, string> = {
  credit: 'credits',
  tax: 'tax',
  fee: 'fees',
  other: 'lines that are not LLM usage',
};

/** The billed rows' charge categories other than usage, in the order they are listed. */
const BILLED_NON_USAGE = [
  { category: 'credit', kind: 'credits', detail: 'credits in the billed exports' },
  { category: 'tax', kind: 'tax', detail: 'tax in the billed exports' },
  { category: 'fee', kind: 'fees', detail: 'fees and purchases in the billed exports (commitments, reservations)' },
  { category: 'support', kind: 'support', detail: 'support charges in the billed exports' },
  { category: 'unclassified', kind: 'unclassified_meters', detail: '' },
  { category: 'non_llm', kind: 'non_llm', detail: 'billed rows that are not LLM usage' },
] as const satisfies readonly { category: LayerModelSum['charge_category']; kind: Explanation['kind']; detail: string }[];

/** Canonical model name for matching across layers (catalogue id when known). */
export type ModelKey = (provider: string, model: string | null) => string | null;

/** What llmfin's price of `searches` web searches on `model` that day was, in ticks (0n when it has none). */
export type SearchFee = (provider: string, model: string, day: string, searches: number) => bigint;

const DAY_MS = 86_400_000;

/** The days from `first` to `last`, both included (YYYY-MM-DD). */
const daysBetween = (first: string, last: string) => {
  const out: string[] = [];
  for (let d = first; d <= last; d = nextDay(d)) out.push(d);
  return out;
};
const dayCount = (from: string, to: string) => (Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS + 1;

/**
 * The days compared in one row for each provider's invoices whose periods are not calendar
 * months (sorted by start). Only invoices that bill usage take days (a credit note's
 * period says which bill it corrects, not which usage it bills; the layer rule leaves it
 * out too). Invoices whose periods overlap are compared together, from the first start to
 * the last end, as the layer rule adds them up on those days: a calendar-month
 * invoice beside an Oct 20 – Nov 19 one is one row, Oct 1 – Nov 19. A period that
 * comes out as one whole calendar month is compared with its month, as before.
 */
export function invoiceSpans(invoices: readonly InvoiceKindSum[]): Map<string, RowDays[]> {
  const periodKey = (i: InvoiceKindSum) => `${i.provider}\u0000${i.month}\u0000${i.period_start}\u0000${i.period_end}`;
  const billsUsage = new Set(invoices.filter((i) => i.kind === 'usage' || i.kind === 'unitemised').map(periodKey));
  // Each provider's distinct periods of invoices that bill usage, as days and as the
  // instants they run between; one without a usable period bills the whole month it
  // starts (or was issued) in.
  type Span = { from: string; to: string; start: number; end: number };
  const spans = new Map<string, Map<string, Span>>();
  for (const i of invoices) {
    if (!billsUsage.has(periodKey(i))) continue;
    const d = invoiceDays(i);
    const from = d?.first ?? `${i.month}-01`;
    const to = d?.last ?? lastDayOf(i.month);
    const end = d !== undefined && Date.parse(i.period_end!) % DAY_MS !== 0 ? Date.parse(i.period_end!) : Date.parse(`${to}T00:00:00.000Z`) + DAY_MS;
    const span = { from, to, start: d !== undefined ? Date.parse(i.period_start!) : Date.parse(`${from}T00:00:00.000Z`), end };
    const list = spans.get(i.provider) ?? new Map<string, Span>();
    list.set(`${span.start}..${span.end}`, span);
    spans.set(i.provider, list);
  }
  const out = new Map<string, RowDays[]>();
  for (const [provider, list] of spans) {
    // Periods that overlap in time are merged; two that only meet within a day (a Stripe
    // period ending at 08:00 where the next begins) are not, and the day they share is
    // compared in the first one's row.
    const merged: (Span & { periods: number })[] = [];
    for (const s of [...list.values()].sort((a, b) => a.start - b.start || a.end - b.end)) {
      const last = merged[merged.length - 1];
      if (last !== undefined && s.start < last.end) {
        if (s.end > last.end) [last.end, last.to] = [s.end, s.to];
        last.periods += 1;
      } else merged.push({ ...s, periods: 1 });
    }
    const rows = merged
      .filter((m) => !(m.from.endsWith('-01') && m.to === lastDayOf(m.from.slice(0, 7))))
      .map((m): RowDays => ({ from: m.from, to: m.to, count: dayCount(m.from, m.to), invoiced: true, ...(m.periods > 1 ? { periods: m.periods } : {}) }));
    if (rows.length > 0) out.set(provider, rows);
  }
  return out;
}

/**
 * `sums` with each spanning row's share of the days across an invoice period's edge moved
 * to the first of those days (spanning-shares.ts says why): a monthly line of October is
 * compared with the invoice of Oct 15 – Nov 14 for Oct 15–31 and with the month's other
 * days for Oct 1–14, as reports count it, not whole in the other days' row.
 */
export function shareSpanningSums(sums: readonly LayerModelSum[], spanning: readonly SpanningSum[], invoices: readonly InvoiceKindSum[]): LayerModelSum[] {
  const periods = invoiceSpans(invoices);
  if (spanning.length === 0 || periods.size === 0) return [...sums];
  const out = sums.map((s) => ({ ...s }));
  const key = (s: Omit<LayerModelSum, 'rows' | 'cost_ticks' | 'estimated_cost_ticks' | 'web_searches'>) =>
    `${s.provider}\u0000${s.source}\u0000${s.day}\u0000${s.provenance}\u0000${s.charge_category}\u0000${s.cost_status}\u0000${s.model ?? ''}`;
  const index = new Map(out.map((s, i) => [key(s), i]));
  for (const row of spanning) {
    const spans = periods.get(row.provider);
    if (spans === undefined) continue;
    const covered = new Set(monthDays(row.month).filter((d) => spans.some((x) => x.from <= d && d <= x.to)));
    const share = otherPart(row.day, row.ts_end, covered);
    const i = index.get(key(row));
    if (share === undefined || i === undefined) continue;
    const part = (v: bigint) => (v * BigInt(share.k)) / BigInt(share.n);
    const { ts_end: _end, ...sum } = row;
    const moved: LayerModelSum = {
      ...sum,
      day: share.to,
      rows: 0,
      cost_ticks: part(row.cost_ticks),
      estimated_cost_ticks: part(row.estimated_cost_ticks),
      web_searches: Math.round((row.web_searches * share.k) / share.n),
    };
    const from = out[i]!;
    from.cost_ticks -= moved.cost_ticks;
    from.estimated_cost_ticks -= moved.estimated_cost_ticks;
    from.web_searches -= moved.web_searches;
    out.push(moved);
  }
  return out;
}

/**
 * The rows of a cloud bill filed under a ledger provider other than the catalogue provider
 * its invoices are filed under (`aws` is read as bedrock, `gcp` as vertex), by that ledger
 * provider: `bill` is the invoice's provider. Without `sources`, every row of the provider
 * is the bill's: the rows that are not LLM usage of a CUR or FOCUS export (`aws`), of a
 * Cloud Billing or FOCUS export (`gcp`). With them, the provider's billed rows are the
 * bill's only when one of these importers read them from the cloud's export: the Gemini
 * API (`google`) is billed on the Cloud bill when a Cloud Billing export lists it, not
 * when an invoice or a JSONL of another account bills it. Its estimate (metered,
 * provider_usage rows) goes with the billed rows it estimates, so that the bill's usage is
 * compared with the usage's own estimate and a model on both Vertex and the Gemini API is
 * not read as a price difference; a month whose export bills none of it keeps it apart
 * (the export lists every service of its account). With no export of the bill in the
 * ledger at all, the invoice is all there is of the bill, and the estimate goes with it
 * too, unless the provider is billed apart that month (an invoice of its own, billed rows
 * of another source): the Gemini API is billed through the Cloud account, and kept apart
 * its estimate was an unexplained variance of the invoice's row and a row with nothing to
 * compare it with.
 * An Azure bill's rows are all azure.
 */
const BILL_OF: Readonly<Record<string, { bill: string; sources?: readonly string[] }>> = {
  aws: { bill: 'bedrock' },
  gcp: { bill: 'vertex' },
  google: { bill: 'vertex', sources: ['gcp-billing', 'focus'] },
};

/**
 * The bills whose invoice is the whole bill when it names the account it bills, whatever
 * its lines. Google invoices a Cloud billing account once a month with every service on it
 * (the account's Cloud Billing export of that `invoice.month` adds up to it, research/
 * exports.md §5 and §8), so a Cloud invoice with its billing account is the account's
 * bill even when all its lines are Vertex AI and Gemini API usage: its tax is in the
 * export's gcp rows and its Gemini API in the google rows. Not AWS: an account's AWS
 * Marketplace charges come on an invoice of their own (`bill/BillingEntity`), so an AWS
 * invoice naming its account may be one part of the bill, and only lines of other
 * services say it is the whole.
 */
const WHOLE_BY_ACCOUNT: ReadonlySet<string> = new Set(['vertex']);

export function reconcile(sums: readonly LayerModelSum[], invoices: readonly InvoiceKindSum[], modelKey: ModelKey, foreign: readonly ForeignInvoice[] = [], searchFee?: SearchFee): ReconcileRow[] {
  const pools = new Map<string, { provider: string; month: string; days?: RowDays; sums: LayerModelSum[]; invoices: InvoiceKindSum[]; foreign: ForeignInvoice[] }>();
  const poolKey = (provider: string, month: string, days?: RowDays) => (days === undefined ? `${provider}\u0000${month}` : `${provider}\u0000${days.from}\u0000${days.to}`);
  const pool = (provider: string, month: string, days?: RowDays) => {
    const key = poolKey(provider, month, days);
    let p = pools.get(key);
    if (!p) pools.set(key, (p = { provider, month: days?.from.slice(0, 7) ?? month, ...(days !== undefined ? { days } : {}), sums: [], invoices: [], foreign: [] }));
    return p;
  };
  // The rows of each provider's invoice periods that are not calendar months: a day they
  // cover is compared there, not in its month's row.
  const periods = invoiceSpans(invoices);
  const periodOf = (provider: string, day: string) => periods.get(provider)?.find((d) => d.from <= day && day <= d.to);
  // An invoice is compared in the row that holds its first day (a credit note, which takes
  // no days of its own, too), else in its month's; of two rows that share a day, in the
  // one that starts there.
  const startsIn = (provider: string, day: string) => periods.get(provider)?.findLast((d) => d.from <= day && day <= d.to);
  const invoicePool = (i: InvoiceKindSum) => [i.provider, i.month, startsIn(i.provider, invoiceDays(i)?.first ?? `${i.month}-01`)] as const;
  // The rows whose invoices are typed in whole: a line of other services makes one the whole
  // bill, and so does a Google Cloud invoice's billing account.
  const bills = new Set(Object.values(BILL_OF).map((b) => b.bill));
  const whole = (i: InvoiceKindSum) => bills.has(i.provider) && (i.kind === 'other' || (WHOLE_BY_ACCOUNT.has(i.provider) && i.accounts.length > 0));
  const wholeBills = new Set(invoices.filter(whole).map((i) => poolKey(...invoicePool(i))));
  // The whole bill's row a sum is compared in, if it is on that bill.
  const billPool = (s: LayerModelSum) => {
    const of = BILL_OF[s.provider];
    if (of === undefined) return undefined;
    const days = periodOf(of.bill, s.day);
    return wholeBills.has(poolKey(of.bill, s.month, days)) ? ([of.bill, s.month, days] as const) : undefined;
  };
  // A provider whose rows are on the bill from some sources only: those billed rows, and
  // the estimate of a row whose bill takes some of them (keyed by the bill's row and provider).
  const fromSources = (s: LayerModelSum) => BILL_OF[s.provider]?.sources;
  // Each sum's whole-bill row, found once for both passes below.
  const billRows = sums.map(billPool);
  const estimated = new Set<string>();
  // The sources of each row's billed rows (a whole bill's and its own provider's): whether the cloud's export of it is in the ledger.
  const billedSources = new Map<string, Set<string>>();
  // The months in which a provider billed on the bill from some sources only is billed by
  // something else: another source's billed rows, an invoice of its own (every month its days
  // touch). By month, not by the invoice's row: a Gemini API invoice of October 15 – November
  // 14 says the API is billed apart in October, so October 1–14 (on the invoice before, not
  // in the ledger) is no part of the Cloud invoice either.
  const billedApart = new Set<string>();
  const monthKey = (provider: string, month: string) => `${provider}\u0000${month}`;
  const ownKey = (s: LayerModelSum) => poolKey(s.provider, s.month, periodOf(s.provider, s.day));
  sums.forEach((s, k) => {
    if (s.provenance !== 'billed') return;
    const bill = billRows[k];
    const key = bill !== undefined ? poolKey(...bill) : ownKey(s);
    const list = billedSources.get(key) ?? new Set<string>();
    billedSources.set(key, list.add(s.source));
    const sources = fromSources(s);
    if (bill !== undefined && sources?.includes(s.source)) estimated.add(`${key}\u0000${s.provider}`);
    else if (sources !== undefined) billedApart.add(monthKey(s.provider, s.month));
  });
  for (const i of invoices) if (BILL_OF[i.provider]?.sources !== undefined) for (const month of invoiceMonthsOf(i)) billedApart.add(monthKey(i.provider, month));
  const onBill = (s: LayerModelSum, bill: readonly [string, string, RowDays | undefined]) => {
    const sources = fromSources(s);
    if (sources === undefined) return true;
    if (s.provenance === 'billed') return sources.includes(s.source);
    const key = poolKey(...bill);
    if (estimated.has(`${key}\u0000${s.provider}`)) return true;
    // No export of the bill to say whether it bills the provider: the invoice stands for it.
    const exported = [...(billedSources.get(key) ?? [])].some((source) => sources.includes(source));
    return !exported && !billedApart.has(monthKey(s.provider, s.month));
  };
  sums.forEach((s, k) => {
    const bill = billRows[k];
    if (bill !== undefined && onBill(s, bill)) pool(...bill).sums.push(s);
    else pool(s.provider, s.month, periodOf(s.provider, s.day)).sums.push(s);
  });
  for (const i of invoices) pool(...invoicePool(i)).invoices.push(i);
  // An invoice in another currency is listed in every row of the days its period covers
  // (each month of a quarter's, as a USD one's row meets each of its months), not only in
  // the month it starts in: `--month` of its second month shows it too.
  for (const f of foreign) {
    const span = invoiceDays(f);
    const days = span === undefined ? monthDays(f.month) : daysBetween(span.first, span.last);
    for (const p of new Set(days.map((d) => pool(f.provider, d.slice(0, 7), periodOf(f.provider, d))))) p.foreign.push(f);
  }
  // A month some of whose days an invoice period takes is compared on its other days.
  for (const p of pools.values()) {
    const list = periods.get(p.provider);
    if (p.days !== undefined || list === undefined) continue;
    const all = monthDays(p.month);
    const rest = all.filter((d) => !list.some((x) => x.from <= d && d <= x.to));
    if (rest.length > 0 && rest.length < all.length) p.days = { from: rest[0]!, to: rest[rest.length - 1]!, count: rest.length, invoiced: false };
  }

  const rows: ReconcileRow[] = [];
  for (const { provider, month, days: rowDays, sums: ps, invoices: inv, foreign: other } of pools.values()) {
    const layer = (p: Provenance) => ps.filter((s) => s.provenance === p);
    const sum = (list: readonly { cost_ticks: bigint }[]) => list.reduce((a, s) => a + s.cost_ticks, 0n);
    const billed = layer('billed');
    const invoiceKind = (k: InvoiceKindSum['kind']) => inv.filter((i) => i.kind === k).reduce((a, i) => a + i.ticks, 0n);
    const hasInvoice = inv.length > 0;
    const invoiceTotal = hasInvoice ? invoiceKind('total') : null;
    // Usage lines, and the totals of invoices without lines; a credit note bills no usage.
    const invoiceUsage = inv.some((i) => i.kind === 'usage' || i.kind === 'unitemised') ? invoiceKind('usage') + invoiceKind('unitemised') : null;
    const billedUsageRows = billed.filter((s) => s.charge_category === 'usage');
    const billedTotal = billed.length > 0 ? sum(billed) : null;
    const billedUsage = billed.length > 0 ? sum(billedUsageRows) : null;
    const estimateLayer: Provenance | null = layer('provider_usage').some((s) => s.charge_category === 'usage') ? 'provider_usage' : layer('metered').some((s) => s.charge_category === 'usage') ? 'metered' : null;
    const estimateRows = estimateLayer ? layer(estimateLayer).filter((s) => s.charge_category === 'usage') : [];
    const estimate = estimateLayer ? sum(estimateRows) : null;
    const meteredRows = layer('metered').filter((s) => s.charge_category === 'usage');
    const metered = meteredRows.length > 0 ? sum(meteredRows) : null;
    const reference = billedUsage !== null ? 'billed' : invoiceUsage !== null ? 'invoice' : null;
    const referenceTicks = billedUsage ?? invoiceUsage;
    const explanations: Explanation[] = [];
    const notes: string[] = [];
    // An invoice with lines but none of them LLM usage (tax, fees, other services only):
    // without a word, its row reads as an invoice of usage lines "–", or as nothing billed.
    if (hasInvoice && invoiceUsage === null) {
      const count = inv.filter((i) => i.kind === 'total').reduce((a, i) => a + i.invoices, 0);
      const kinds = (Object.keys(LINE_KIND_WORDS) as (keyof typeof LINE_KIND_WORDS)[]).filter((k) => inv.some((i) => i.kind === k)).map((k) => LINE_KIND_WORDS[k]);
      const what = `${count === 1 ? 'the invoice has' : `the ${count} invoices have`} no LLM usage lines${kinds.length > 0 ? ` (only ${andList(kinds)})` : ''}`;
      notes.push(
        reference === null
          ? `${what}: nothing billed to compare llmfin's estimate with; import the provider's cost export, or the invoice with its usage lines`
          : `${what}: the estimate is compared with the billed exports only`,
      );
    }
    // The Gemini API is billed on a Cloud billing account's invoice, but in the catalogue
    // google is the Gemini API (AI Studio) alone: an invoice typed so is that API's, its lines
    // all usage (none read as other services) and compared with its rows only. Named with a
    // Cloud billing account it may be the account's Cloud invoice typed under the issuer's
    // name ("Google LLC"): say which bill it was compared with, and how to compare the whole.
    const accounts = provider === 'google' ? [...new Set(inv.flatMap((i) => i.accounts))].sort(compareText) : [];
    if (accounts.length > 0) {
      const count = inv.filter((i) => i.kind === 'total').reduce((a, i) => a + i.invoices, 0);
      notes.push(
        `${count === 1 ? 'the invoice is' : `the ${count} invoices are`} typed provider google, the Gemini API (AI Studio), and name${count === 1 ? 's' : ''} billing account${accounts.length === 1 ? '' : 's'} ${andList(accounts)}: ` +
          `compared with the Gemini API's rows alone, not with ${accounts.length === 1 ? "that account's" : 'those accounts\''} whole Google Cloud bill (Vertex AI, other services, tax); ` +
          `if it is the account's Cloud invoice, type it provider: gcp`,
      );
    }

    // The invoice against the billed exports: credits, tax and fees are usually why they differ.
    if (invoiceTotal !== null && billedTotal !== null && invoiceTotal !== billedTotal) {
      // Exports that stop short of the month are the usual reason why their usage falls
      // short of the invoice's: say so.
      const days = [...new Set(billed.map((s) => s.day))].sort(compareText);
      const inMonth = rowDays?.count ?? daysInMonth(month);
      const of = rowDays?.invoiced ? "the invoice period's" : "the month's";
      const cover = invoiceUsage !== billedUsage && days.length > 1 && days.length < inMonth ? ` (the exports cover ${days.length} of ${of} ${inMonth} days: ${days[0]} … ${days[days.length - 1]})` : '';
      explanations.push({ explains: 'invoice_vs_billed', kind: 'invoice_vs_billed', ticks: invoiceTotal - billedTotal, detail: `invoice total minus billed exports${cover}` });
    }
    if (hasInvoice) {
      const credits = invoiceKind('credit');
      const tax = invoiceKind('tax');
      const fees = invoiceKind('fee');
      // A line of kind `other` is not LLM usage (EC2 on an AWS bill): named as such, as
      // billed rows that are not LLM usage are, not as a fee.
      const notLlm = invoiceKind('other');
      if (credits !== 0n) explanations.push({ explains: 'invoice_vs_billed', kind: 'credits', ticks: credits, detail: 'credits on the invoice' });
      if (tax !== 0n) explanations.push({ explains: 'invoice_vs_billed', kind: 'tax', ticks: tax, detail: 'tax on the invoice' });
      if (fees !== 0n) explanations.push({ explains: 'invoice_vs_billed', kind: 'fees', ticks: fees, detail: 'fees on the invoice' });
      if (notLlm !== 0n) explanations.push({ explains: 'invoice_vs_billed', kind: 'non_llm', ticks: notLlm, detail: 'invoice lines that are not LLM usage (other services on the bill)' });
    }
    // Every billed dollar that is not usage is named: the billed total is usage plus these.
    for (const cat of BILLED_NON_USAGE) {
      const list = billed.filter((s) => s.charge_category === cat.category);
      if (list.length > 0) {
        const rows = list.reduce((a, s) => a + s.rows, 0);
        explanations.push({
          explains: 'billed_total',
          kind: cat.kind,
          ticks: sum(list),
          detail: cat.category === 'unclassified' ? `${countNoun(rows, 'billed row')} ${rows === 1 ? 'looks' : 'look'} like LLM usage but ${rows === 1 ? 'matches' : 'match'} no meter pattern` : cat.detail,
        });
      }
    }

    let variance: bigint | null = null;
    let unexplained: bigint | null = null;
    if (referenceTicks !== null && estimate !== null) {
      variance = referenceTicks - estimate;
      unexplained = variance;
      // A whole bill's row holds another provider's models (the Gemini API's in vertex's):
      // each is named by its own provider, so that gemini-2.5-flash on Vertex and on the
      // Gemini API are two models, each compared with its own estimate.
      const keyOf = (s: LayerModelSum) => {
        const k = modelKey(s.provider, s.model);
        return s.provider === provider || k === null ? k : `${s.provider}/${k}`;
      };
      const byModel = (list: readonly LayerModelSum[]) => {
        const m = new Map<string | null, { ticks: bigint; unpriced: number; rows: number }>();
        for (const s of list) {
          const k = keyOf(s);
          const v = m.get(k) ?? { ticks: 0n, unpriced: 0, rows: 0 };
          v.ticks += s.cost_ticks;
          v.rows += s.rows;
          if (s.cost_status === 'unpriced') v.unpriced += s.rows;
          m.set(k, v);
        }
        return m;
      };
      /** Billed (or invoiced) against estimated, model by model; returns what it explains. */
      const compareModels = (b: ReadonlyMap<string | null, { ticks: bigint }>, e: ReturnType<typeof byModel>, billedAs: string, listOnlyEstimated: boolean): bigint => {
        let explained = 0n;
        for (const [model, bv] of b) {
          if (model === null) continue;
          const ev = e.get(model);
          if (ev === undefined) {
            explanations.push({ explains: 'variance', kind: 'not_in_estimate', ticks: bv.ticks, detail: `${model}: ${billedAs}, absent from the ${estimateLayer} rows` });
            explained += bv.ticks;
          } else if (ev.unpriced > 0) {
            explanations.push({ explains: 'variance', kind: 'unpriced_models', ticks: bv.ticks - ev.ticks, detail: `${model}: ${withoutPrice(ev.unpriced, `${estimateLayer} row`)} (add it under pricing.custom_models)` });
            explained += bv.ticks - ev.ticks;
          } else if (bv.ticks !== ev.ticks) {
            explanations.push({ explains: 'variance', kind: 'price_difference', ticks: bv.ticks - ev.ticks, detail: `${model}: ${billedAs} minus llmfin's price for the reported usage (a discount, a price change, or a catalogue error)` });
          }
        }
        if (listOnlyEstimated) {
          for (const [model, ev] of e) {
            if (model !== null && !b.has(model) && ev.ticks !== 0n) explanations.push({ explains: 'variance', kind: 'only_estimated', ticks: -ev.ticks, detail: `${model}: priced by llmfin, not ${billedAs} (yet)` });
          }
        }
        return explained;
      };
      if (reference === 'billed') {
        // Days one layer has and the other lacks (an export cut short, a cost export a day
        // behind) are named as such, and models are compared on the days both cover, so a
        // missing day is not taken for a price difference. A bill on one day only may be a
        // monthly line: it is compared with the whole month.
        let billedCompared = billedUsageRows;
        let estimateCompared = estimateRows;
        const billedDays = new Set(billedUsageRows.map((s) => s.day));
        const estimateDays = new Set(estimateRows.map((s) => s.day));
        if (billedDays.size >= 2) {
          const span = (list: readonly LayerModelSum[]) => {
            const days = [...new Set(list.map((s) => s.day))].sort(compareText);
            return `${countNoun(days.length, 'day')}: ${days.length === 1 ? days[0] : `${days[0]} … ${days[days.length - 1]}`}`;
          };
          const onlyBilled = billedUsageRows.filter((s) => !estimateDays.has(s.day));
          const onlyEstimated = estimateRows.filter((s) => !billedDays.has(s.day));
          if (onlyBilled.length > 0) {
            const ticks = sum(onlyBilled);
            explanations.push({ explains: 'variance', kind: 'days_not_in_estimate', ticks, detail: `billed on days with no ${estimateLayer} rows (${span(onlyBilled)}): import the ${estimateLayer === 'provider_usage' ? 'usage export' : 'metered rows'} for them` });
            unexplained -= ticks;
          }
          if (onlyEstimated.length > 0) {
            const ticks = -sum(onlyEstimated);
            explanations.push({ explains: 'variance', kind: 'days_not_billed', ticks, detail: `${estimateLayer} rows on days with no billed rows (${span(onlyEstimated)}): not billed yet, or a cost export is missing` });
            unexplained -= ticks;
          }
          billedCompared = billedUsageRows.filter((s) => estimateDays.has(s.day));
          estimateCompared = estimateRows.filter((s) => billedDays.has(s.day));
        }
        const b = byModel(billedCompared);
        const e = byModel(estimateCompared);
        // A bill that names no model on any line (a cost report not grouped by description,
        // a Costs API export not grouped by line_item) beside an estimate that does is one
        // lump: compared as a total, as an invoice's "other models" line is, not read as
        // charges outside the token estimate beside every estimated model "not billed".
        const lump = ![...b.keys()].some((k) => k !== null) && [...e.keys()].some((k) => k !== null);
        if (lump) notes.push('the billed export names no model (export it grouped by description or line item): compared as a total, not model by model');
        const noModel = lump ? 0n : (b.get(null)?.ticks ?? 0n);
        if (noModel !== 0n) {
          explanations.push({ explains: 'variance', kind: 'no_model', ticks: noModel, detail: 'billed lines without a model (tool calls, storage, fine-tuning…): not in a token estimate' });
          unexplained -= noModel;
          // A bill that puts web searches on a line without a model (Anthropic's cost report)
          // has them in no_model above, while the estimate priced them inside each model's
          // rows: taken out of the models' estimates, they are not read as price differences.
          if (searchFee !== undefined) {
            let fees = 0n;
            let searches = 0;
            for (const s of estimateCompared) {
              if (s.web_searches <= 0 || s.model === null || s.cost_status === 'unpriced') continue;
              const fee = searchFee(s.provider, s.model, s.day, s.web_searches);
              const ev = e.get(keyOf(s));
              if (fee === 0n || ev === undefined) continue;
              ev.ticks -= fee;
              fees += fee;
              searches += s.web_searches;
            }
            if (fees !== 0n) {
              explanations.push({
                explains: 'variance',
                kind: 'web_searches',
                ticks: -fees,
                detail: `${searches.toLocaleString('en-US')} web search${searches === 1 ? '' : 'es'} priced in the ${estimateLayer} rows: billed on lines without a model (above), not under their models`,
              });
              unexplained += fees;
            }
          }
        }
        if (!lump) unexplained -= compareModels(b, e, 'billed', true);
      } else {
        // The invoice's usage lines that name a model are compared model by model. A line
        // without one ("other models") cannot be: the models it may cover stay in the
        // unexplained rest, and are not listed as unbilled.
        const named = new Map<string | null, { ticks: bigint }>();
        for (const l of inv) {
          if (l.kind !== 'usage' || l.model === null) continue;
          const k = modelKey(provider, l.model);
          named.set(k, { ticks: (named.get(k)?.ticks ?? 0n) + l.ticks });
        }
        const lump = inv.some((l) => (l.kind === 'usage' && l.model === null) || l.kind === 'unitemised');
        if (named.size > 0) unexplained -= compareModels(named, byModel(estimateRows), 'invoiced', !lump);
      }
    }
    if (estimateLayer === 'provider_usage' && metered !== null && estimate !== null) {
      explanations.push({ explains: 'unmetered', kind: 'unmetered_traffic', ticks: estimate - metered, detail: 'provider usage minus metered rows: traffic that did not go through the proxy or logs' });
    }
    rows.push({
      provider,
      month,
      ...(rowDays !== undefined ? { days: rowDays } : {}),
      invoice_total_ticks: invoiceTotal,
      invoice_usage_ticks: invoiceUsage,
      billed_total_ticks: billedTotal,
      billed_usage_ticks: billedUsage,
      reference,
      estimate_layer: estimateLayer,
      estimate_ticks: estimate,
      estimate_unpriced_rows: estimateRows.reduce((n, s) => n + (s.cost_status === 'unpriced' ? s.rows : 0), 0),
      metered_ticks: metered,
      variance_ticks: variance,
      unexplained_ticks: unexplained,
      unexplained_percent: unexplained !== null && referenceTicks !== null && referenceTicks !== 0n ? Number((unexplained * 1_000_000n) / referenceTicks) / 10_000 : null,
      explanations,
      other_currency_invoices: other.map((f) => ({ number: f.number, currency: f.currency, total: f.total })),
      notes,
    });
  }
  return rows.sort((a, b) => compareText(a.month, b.month) || compareText(a.provider, b.provider) || compareText(a.days?.from ?? '', b.days?.from ?? ''));
}
