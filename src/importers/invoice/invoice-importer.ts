/**
 * Importer for invoices: llmfin's invoice YAML/JSON (invoice-schema.ts) and Stripe
 * invoice objects (the JSON behind OpenAI and Anthropic invoices: integer minor units).
 * Invoices are recorded as invoices with lines, not as usage rows: they are what
 * `llmfin reconcile` compares the ledger's billed and estimated spend against.
 */
import { parseAllDocuments, type Document, type YAMLError } from 'yaml';
import type { Importer, ImportItem } from '../importer.js';
import type { InvoiceInput, InvoiceLineInput } from '../../ledger/queries/insert-invoice.js';
import { dec, formatInCurrency } from '../../shared/money.js';
import { parseUtc } from '../aws-cur/billing-values.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import { isNotLlmLine } from './not-llm-line.js';
import { InvoiceDocument } from './invoice-schema.js';
import { invoiceIssue } from './invoice-issue.js';
import { unreadableDocument } from '../json-document.js';
import type { PriceCatalogue } from '../../pricing/price-catalogue.js';
import { didYouMean, suggestModels } from '../../pricing/suggest-models.js';
import { suggestProviders } from '../../pricing/suggest-providers.js';

const STRIPE_ISSUERS: Array<[RegExp, string]> = [
  [/openai/i, 'openai'],
  [/anthropic/i, 'anthropic'],
];

export const invoiceImporter: Importer = {
  id: 'invoice',
  description: 'invoices and credits: llmfin invoice YAML/JSON (provider, number, period, lines, tax, total) or Stripe invoice JSON',
  obtain: 'type the invoice PDF\'s numbers into a YAML file (see README, "Invoices"), or save the Stripe invoice object your billing portal exposes',
  provenance: 'billed',
  replacesPeriod: false,
  accountOption: { refused: 'an invoice names its own account and is kept by provider and number, and never replaces a period' },
  detect({ head, fileName }) {
    if (/"object"\s*:\s*"invoice"/.test(head)) return { ok: true };
    // Blanks within a line only ([ \t], not \s): two \s* runs after a multiline ^ each cross
    // every line break that follows, and a sample of blank lines took minutes to test.
    const looksYaml = /\.(ya?ml|json)$/i.test(fileName) || /^[ \t]*[-{]?[ \t]*"?provider"?[ \t]*:/m.test(head);
    // A YAML key starts its line; a JSON one may follow others on the line (compact JSON).
    if (looksYaml && /^[ \t]*-?[ \t]*"?number"?[ \t]*:|"number"\s*:/m.test(head) && /"?lines"?\s*:/.test(head) && /"?total"?\s*:/.test(head)) return { ok: true };
    return { ok: false, reason: 'no invoice fields (number, lines, total) and not a Stripe invoice object' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    const text = await input.text();
    // A file that does not parse has no invoice to keep: refused whole, --skip-invalid or not.
    let docs: Array<{ doc: unknown; lineAt: LineAt }>;
    let error: YAMLError | undefined;
    try {
      const parsed = parseAllDocuments(text);
      const list = Array.isArray(parsed) ? parsed : [parsed];
      error = list.flatMap((d) => d.errors)[0];
      docs = error
        ? []
        : list.flatMap((d) => {
            const js: unknown = d.toJS();
            return Array.isArray(js) ? js.map((doc: unknown, i) => ({ doc, lineAt: linesOf(text, d, [i]) })) : [{ doc: js, lineAt: linesOf(text, d, []) }];
          });
    } catch (cause) {
      throw unreadableDocument(input.fileName, 1, `not valid YAML/JSON: ${(cause as Error).message}`);
    }
    if (error) throw unreadableDocument(input.fileName, lineOf(text, error.pos[0]), `not valid YAML/JSON: ${error.message.split('\n')[0]}`);
    for (const [i, { doc, lineAt }] of docs.entries()) {
      if (doc && typeof doc === 'object' && (doc as { object?: unknown }).object === 'invoice') yield* stripe(doc as StripeInvoice, lineAt);
      else yield* llmfinInvoice(doc, i + 1, lineAt, (name) => invoiceProvider(name, ctx.pricer.catalogue), (model, providerId, at) =>
        // Known as written (a Bedrock model with or without its maker): no typo to name.
        isResolved(resolveModel(ctx.pricer.catalogue, { provider: providerId, model, at })) ? [] : suggestModels(ctx.pricer.catalogue, model, providerId),
      );
    }
  },
};

/** The line of a field of one invoice, by its path in the invoice; a missing field gives its nearest parent's line. */
type LineAt = (path?: ReadonlyArray<PropertyKey>) => number;

function linesOf(text: string, document: Document.Parsed, prefix: number[]): LineAt {
  return (path = []) => {
    const full: unknown[] = [...prefix, ...path];
    for (let n = full.length; n >= 0; n--) {
      const node: unknown = n === 0 ? document.contents : document.getIn(full.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return lineOf(text, range[0]);
    }
    return 1;
  };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * The ledger's id of the provider an invoice names: the catalogue's id for any spelling
 * of it ("OpenAI, Inc.", "open-ai", "aws", "Mistral AI"), else the name in lower case.
 * Reports and reconcile join an invoice to rows by this id: under another spelling it was
 * a provider of its own, counted beside the rows it bills (the month twice). `closeTo`:
 * for a name the catalogue does not know, the known providers it is a typo away from
 * (nearest first; see suggest-providers.ts).
 */
export function invoiceProvider(name: string, catalogue: Pick<PriceCatalogue, 'canonicalProviderId' | 'providerIds' | 'providerAliases'>): { id: string; closeTo: string[] } {
  const lower = name.trim().toLowerCase();
  const bare = lower.replace(/[,.]?\s+(inc|llc|ltd|pbc|corp|corporation|gmbh|sas|sa)\.?$/, '').trim();
  const spellings = [lower, bare, bare.replace(/[^a-z0-9]+/g, '-'), bare.replace(/[^a-z0-9]+/g, '')];
  for (const spelling of spellings) {
    const id = catalogue.canonicalProviderId(spelling);
    if (id !== undefined) return { id, closeTo: [] };
  }
  return { id: lower, closeTo: [...new Set(spellings.slice(1).flatMap((spelling) => suggestProviders(catalogue, spelling)))] };
}

function* llmfinInvoice(
  doc: unknown,
  index: number,
  lineAt: LineAt,
  provider: (name: string) => { id: string; closeTo: string[] },
  modelsCloseTo: (model: string, providerId: string, at: Date) => string[],
): Iterable<ImportItem> {
  const parsed = InvoiceDocument.safeParse(doc);
  if (!parsed.success) {
    // A field typed under another name (`totl`) is why the field it should be is missing: say that first.
    const issues = parsed.error.issues;
    const { path, message } = invoiceIssue(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!, doc);
    yield { kind: 'issue', line: lineAt(path), column: path.map(String).join('.') || undefined, message: `invoice ${index}: ${message}` };
    return;
  }
  const inv = parsed.data;
  // A credit lowers what is owed. Typed as the positive figure a PDF prints beside the word
  // "Credit", it added to the total, and a credit note whose total was typed the same way
  // passed the sum check: reconcile then showed the credit as money billed.
  const positiveCredit = inv.lines.findIndex((l) => l.kind === 'credit' && dec(l.amount).gt(0));
  if (positiveCredit >= 0) {
    const { amount } = inv.lines[positiveCredit]!;
    yield {
      kind: 'issue',
      line: lineAt(['lines', positiveCredit, 'amount']),
      column: `lines.${positiveCredit}.amount`,
      message: `invoice ${inv.number}: expected a credit as a negative amount (-${amount}), got ${amount}`,
    };
    return;
  }
  const sum = inv.lines.reduce((s, l) => s.plus(dec(l.amount)), dec(0));
  if (!sum.equals(dec(inv.total))) {
    // A PDF's summary (Tax 8.00, Credits -5.00) typed into `tax:`/`credits:` with no line of that
    // kind: those fields only restate the lines, so the total looked short of them for no reason given.
    const summaryOnly = (['tax', 'credits'] as const).filter((f) => inv[f] !== undefined && !inv.lines.some((l) => l.kind === (f === 'tax' ? 'tax' : 'credit')));
    const hint = summaryOnly.length === 0 ? '' : `; ${summaryOnly.map((f) => `\`${f}: ${inv[f]}\``).join(' and ')} only restate${summaryOnly.length === 1 ? 's' : ''} the lines: add ${summaryOnly.map((f) => (f === 'tax' ? 'a line `kind: tax`' : 'a line `kind: credit`')).join(' and ')}`;
    yield { kind: 'issue', line: lineAt(['total']), column: 'total', message: `invoice ${inv.number}: expected total to equal the sum of its lines (${sum.toFixed()}), got ${inv.total}${hint}` };
    return;
  }
  // Both typed from the PDF, a summary field and its lines that disagree hold a typo in one of
  // them; the invoice kept the field as written beside lines that said otherwise.
  for (const field of ['tax', 'credits'] as const) {
    const kind = field === 'tax' ? 'tax' : 'credit';
    const stated = inv[field];
    const ofKind = sumOf(inv.lines.filter((l) => l.kind === kind)) ?? '0';
    if (stated !== undefined && !dec(stated).equals(dec(ofKind))) {
      yield { kind: 'issue', line: lineAt([field]), column: field, message: `invoice ${inv.number}: expected ${field} to equal the sum of its \`kind: ${kind}\` lines (${ofKind}), got ${stated}` };
      return;
    }
  }
  // The end is where the period stops: an end on or before the start bills no day, and would
  // have been read as the whole month the period starts in.
  // The schema let only ISO 8601 days and times through; one without a zone is UTC, whatever the machine's.
  const periodStart = parseUtc(inv.period.start)!;
  const periodEnd = parseUtc(inv.period.end)!;
  if (periodEnd <= periodStart) {
    yield {
      kind: 'issue',
      line: lineAt(['period', 'end']),
      column: 'period.end',
      message: `invoice ${inv.number}: expected period.end after period.start (${inv.period.start}), where the period stops (exclusive: October is start 2026-10-01, end 2026-11-01), got ${inv.period.end}`,
    };
    return;
  }
  const named = provider(inv.provider);
  if (named.closeTo.length > 0) {
    yield {
      kind: 'issue',
      line: lineAt(['provider']),
      column: 'provider',
      message:
        `invoice ${inv.number}: expected a provider llmfin knows, got "${inv.provider}"; ${didYouMean(named.closeTo)}` +
        '(under its own name it would reconcile against no rows; a vendor llmfin does not price is taken as named when no known provider is a typo away, or once a pricing.custom_models entry names it)',
    };
    return;
  }
  // A line's model is what reconcile compares it with the usage of: a typo of a known model
  // matched no rows, and its money read as a model billed but missing from the usage.
  for (const [i, l] of inv.lines.entries()) {
    const closeTo = l.model === undefined ? [] : modelsCloseTo(l.model, named.id, periodStart);
    // The same model with or without its maker (`anthropic.claude-sonnet-4-5`) is one model to reconcile.
    const sameBareId = (a: string, b: string) => a.toLowerCase().endsWith(`.${b.toLowerCase()}`);
    if (closeTo.length > 0 && !closeTo.some((id) => sameBareId(id, l.model!) || sameBareId(l.model!, id))) {
      yield {
        kind: 'issue',
        line: lineAt(['lines', i, 'model']),
        column: `lines.${i}.model`,
        message: `invoice ${inv.number}: expected a model llmfin knows, got "${l.model}"; ${didYouMean(closeTo)}(a model llmfin does not price, close to none it knows, is taken as written)`,
      };
      return;
    }
  }
  // A cloud bill typed in whole: its other services' lines are in its total, not its LLM usage.
  const kinds = inv.lines.map((l) => l.kind ?? (isNotLlmLine(named.id, l) ? 'other' : 'usage'));
  const notLlm = inv.lines.filter((l, i) => l.kind === undefined && kinds[i] === 'other');
  const invoice: InvoiceInput = {
    batch_id: null,
    provider: named.id,
    account: inv.account ?? null,
    number: inv.number,
    issued_at: inv.issued_at ?? null,
    period_start: periodStart.toISOString(),
    period_end: periodEnd.toISOString(),
    currency: inv.currency,
    subtotal_usd: inv.subtotal ?? null,
    credits_usd: inv.credits ?? sumOf(inv.lines.filter((_, i) => kinds[i] === 'credit')),
    tax_usd: inv.tax ?? sumOf(inv.lines.filter((_, i) => kinds[i] === 'tax')),
    total_usd: dec(inv.total).toFixed(),
  };
  const lines: InvoiceLineInput[] = inv.lines.map((l, i) => ({
    description: l.description ?? null,
    kind: kinds[i]!,
    model: l.model ?? null,
    amount_usd: dec(l.amount).toFixed(),
    quantity: l.quantity ?? null,
    unit: l.unit ?? null,
  }));
  const notes =
    notLlm.length > 0
      ? [
          `${notLlm.map((l) => `"${l.description}" ${formatInCurrency(l.amount, inv.currency)}`).join(', ')} on ${named.id} invoice ${inv.number} ${notLlm.length === 1 ? 'names' : 'name'} no LLM service: kept as other (in the invoice's total, not its LLM usage); give a line \`kind: usage\` to count it`,
        ]
      : [];
  yield { kind: 'invoice', line: lineAt(), invoice, lines, ...(notes.length > 0 ? { notes } : {}) };
}

function sumOf(lines: Array<{ amount: string }>): string | null {
  return lines.length === 0 ? null : lines.reduce((s, l) => s.plus(dec(l.amount)), dec(0)).toFixed();
}

interface StripeInvoice {
  object: 'invoice';
  id?: string | null;
  number?: string | null;
  account_name?: string | null;
  customer?: string | null;
  currency?: string;
  created?: number;
  period_start?: number;
  period_end?: number;
  subtotal?: number;
  tax?: number | null;
  /** Newer API versions: the taxes, each exclusive (added to the total) or inclusive (inside the lines' amounts). */
  total_tax_amounts?: Array<{ amount?: number; inclusive?: boolean }> | null;
  total_taxes?: Array<{ amount?: number; tax_behavior?: string }> | null;
  /** The invoice's discounts: its lines' amounts are before them, its total after. */
  total_discount_amounts?: Array<{ amount?: number }> | null;
  total?: number;
  lines?: { data?: Array<{ amount?: number; description?: string | null; quantity?: number | null }>; has_more?: boolean };
}

/** Sum of integer minor units, or null when there are none or one is not an integer. */
function sumMinor(amounts: ReadonlyArray<number | undefined>): number | null {
  if (amounts.length === 0 || !amounts.every((a) => Number.isInteger(a))) return null;
  return amounts.reduce<number>((s, a) => s + a!, 0);
}

/**
 * The tax a Stripe invoice adds on top of its lines, in minor units: the exclusive taxes
 * where it lists them (inclusive tax is already inside the lines' amounts), else `tax`.
 */
function exclusiveTax(doc: StripeInvoice): number | null | undefined {
  if (Array.isArray(doc.total_tax_amounts)) return sumMinor(doc.total_tax_amounts.filter((t) => t.inclusive !== true).map((t) => t.amount)) ?? 0;
  if (Array.isArray(doc.total_taxes)) return sumMinor(doc.total_taxes.filter((t) => t.tax_behavior !== 'inclusive').map((t) => t.amount)) ?? 0;
  return doc.tax;
}

/**
 * Stripe's zero-decimal currencies, whose minor unit is the whole unit (1234 = ¥1,234):
 * https://docs.stripe.com/currencies#zero-decimal
 */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/** Stripe amounts are integer minor units: 1234 = $12.34 for two-decimal currencies, ¥1,234 for zero-decimal ones. */
function* stripe(doc: StripeInvoice, lineAt: LineAt): Iterable<ImportItem> {
  const provider = STRIPE_ISSUERS.find(([re]) => re.test(doc.account_name ?? ''))?.[1];
  if (!provider) {
    yield { kind: 'issue', line: lineAt(['account_name']), column: 'account_name', message: `expected an issuer llmfin knows (OpenAI, Anthropic), got ${JSON.stringify(doc.account_name ?? null)}` };
    return;
  }
  const currency = (doc.currency ?? 'usd').toUpperCase();
  const unit = ZERO_DECIMAL.has(currency) ? 1 : 100;
  const minor = (v: number | null | undefined) => (Number.isInteger(v) ? dec(v as number).div(unit).toFixed() : null);
  const total = minor(doc.total);
  if (!doc.number || total === null || !doc.period_start || !doc.period_end) {
    yield { kind: 'issue', line: lineAt(), message: 'expected a Stripe invoice with number, total, period_start and period_end' };
    return;
  }
  const lines: InvoiceLineInput[] = (doc.lines?.data ?? []).map((l) => ({
    description: l.description ?? null,
    kind: (l.amount ?? 0) < 0 ? 'credit' : 'usage',
    model: null,
    amount_usd: minor(l.amount ?? 0) ?? '0',
    quantity: l.quantity === null || l.quantity === undefined ? null : String(l.quantity),
    unit: null,
  }));
  // Line amounts are before discounts: without this line a discounted invoice's usage
  // lines would bill more than its total, and reports would count the difference as spend.
  const discounts = sumMinor((doc.total_discount_amounts ?? []).map((d) => d.amount));
  if (discounts !== null && discounts !== 0) lines.push({ description: 'Discounts', kind: 'credit', model: null, amount_usd: minor(-discounts)!, quantity: null, unit: null });
  const tax = minor(exclusiveTax(doc) ?? 0);
  if (tax !== null && tax !== '0') lines.push({ description: 'Tax', kind: 'tax', model: null, amount_usd: tax, quantity: null, unit: null });
  // As for llmfin's own format, the lines must add up to the total: a Stripe object that
  // embeds only its first lines (`has_more`), or applies something read here as nothing,
  // would otherwise put a wrong amount of usage in reports without a word.
  const sum = lines.reduce((s, l) => s.plus(dec(l.amount_usd)), dec(0));
  if (!sum.equals(dec(total))) {
    const cut = doc.lines?.has_more === true;
    yield {
      kind: 'issue',
      line: lineAt(cut ? ['lines', 'has_more'] : ['total']),
      column: cut ? 'lines.has_more' : 'total',
      message: cut
        ? `invoice ${doc.number}: its lines are cut short (has_more: true; ${sum.toFixed()} of ${total}): save the invoice with all its lines (expand lines.data, or list them with GET /v1/invoices/${doc.id ?? 'ID'}/lines)`
        : `invoice ${doc.number}: expected total to equal its lines plus tax, less discounts (${sum.toFixed()}), got ${total}`,
    };
    return;
  }
  yield {
    kind: 'invoice',
    line: lineAt(),
    invoice: {
      batch_id: null,
      provider,
      account: doc.customer ?? null,
      number: doc.number,
      issued_at: doc.created ? new Date(doc.created * 1000).toISOString() : null,
      period_start: new Date(doc.period_start * 1000).toISOString(),
      period_end: new Date(doc.period_end * 1000).toISOString(),
      currency,
      subtotal_usd: minor(doc.subtotal),
      credits_usd: discounts !== null && discounts !== 0 ? minor(-discounts) : null,
      tax_usd: tax,
      total_usd: total,
    },
    lines,
  };
}
