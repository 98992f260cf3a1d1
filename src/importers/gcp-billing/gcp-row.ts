/**
 * One Cloud Billing export row → its ledger rows: the row's `cost` (before credits) as
 * billed money, and each of its credits as a separate 'credit' row with its negative
 * amount, so that the ledger sums to the net bill. Vertex AI and Gemini API token SKUs
 * also get a model, tokens (usage.amount) and llmfin's estimate beside the bill.
 */
import type { ChargeCategory, NewUsageEntry } from '../../ledger/ledger-schema.js';
import { buildEntry, type EntryFields } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import {
  decimalText, granularityOf, hashKey, LEDGER_CONVENTION, type modelResolver, parseUtc, positiveRate, shown, tokensFrom, tokenUsage, unitSize, usdAtRate,
} from '../aws-cur/billing-values.js';
import type { GCP_FIELDS, GcpRow } from './gcp-rows.js';
import { parseGcpSku, type GcpSku } from './gcp-sku.js';
import type { MeterMap } from '../meter-map.js';
import { tagDims } from '../tag-dims.js';

export interface RowProblem {
  column?: string | undefined;
  message: string;
}

export interface GcpRowContext {
  ctx: ImportContext;
  uniqueKey: (key: string) => string;
  resolve: ReturnType<typeof modelResolver>;
  /** The file's name for a field (a CSV header, or the JSON path). */
  column: (field: keyof typeof GCP_FIELDS) => string;
}

/** Services whose SKUs are LLM usage, and the catalogue provider that prices them. */
function providerOf(service: string): string {
  if (/generative language|gemini api/i.test(service)) return 'google';
  // Vertex AI, and partner models on Vertex (a service per model: "Claude Sonnet 4.5").
  if (/vertex|claude|anthropic|gemini/i.test(service)) return 'vertex';
  return 'gcp';
}

const COST_TYPES: Record<string, ChargeCategory> = { tax: 'tax', rounding_error: 'fee' };

/**
 * Money in a non-USD account's export → USD at the rate the export gives on the same row
 * (`currency_conversion_rate`: units of the currency per dollar, as Google documents it).
 * The amount as billed, its currency and the rate stay in the row's raw usage.
 */
function toUsd(amount: string, rate: string | undefined): string {
  return rate === undefined ? amount : usdAtRate(amount, rate);
}

export function gcpRowToEntries(row: GcpRow, { ctx, uniqueKey, resolve, column }: GcpRowContext): NewUsageEntry[] | RowProblem {
  const billedCost = decimalText(row.cost);
  if (billedCost === undefined) return { column: column('cost'), message: `expected a decimal amount, got ${shown(row.cost)}` };
  const currency = row.currency.toUpperCase();
  let rate: string | undefined;
  if (currency !== '' && currency !== 'USD') {
    rate = positiveRate(row.conversionRate);
    if (rate === undefined) {
      return {
        column: column(row.conversionRate === '' ? 'currency' : 'conversionRate'),
        message: `expected USD, or a positive currency_conversion_rate (${currency} per USD) beside ${shown(currency)}, got ${shown(row.conversionRate)}`,
      };
    }
  }
  const cost = toUsd(billedCost, rate);
  const start = parseUtc(row.start);
  if (!start) return { column: column('start'), message: `expected a UTC time (ISO 8601 or "YYYY-MM-DD HH:MM:SS UTC"), got ${shown(row.start)}` };
  const end = row.end === '' ? undefined : parseUtc(row.end);
  if (row.end !== '' && (!end || end < start)) return { column: column('end'), message: `expected a UTC time not before the start, got ${shown(row.end)}` };
  // usage.amount is a number (FLOAT64), or nothing: one that is not ("120,000" as a spreadsheet
  // saves it) would leave a token SKU's row without its tokens and llmfin's estimate.
  if (row.usageAmount.trim() !== '' && decimalText(row.usageAmount) === undefined) {
    return { column: column('usageAmount'), message: `expected a decimal usage amount, got ${shown(row.usageAmount)}` };
  }
  for (const credit of row.credits) {
    if (decimalText(credit.amount) === undefined) return { column: credit.column, message: `expected a decimal amount, got ${shown(credit.amount)}` };
  }

  const provider = providerOf(row.service);
  const key = hashKey([row.billingAccount, row.start, row.end, row.project, row.serviceId || row.service, row.skuId || row.sku, row.labels, row.costType, row.location, row.exportTime, row.invoiceMonth]);
  const base: EntryFields = {
    source: 'gcp-billing',
    provenance: 'billed',
    dedupeKey: uniqueKey(key),
    provider,
    ts: start.toISOString(),
    tsEnd: end?.toISOString() ?? null,
    granularity: granularityOf(start, end),
    account: row.project || row.billingAccount || null,
    billedUsd: cost,
    requests: 0,
    tags: row.labels,
    dims: tagDims(row.labels),
    description: [row.service, row.sku].filter((p) => p !== '').join(': ') || null,
    raw: {
      service: row.service, sku: row.sku, sku_id: row.skuId, usage_amount: row.usageAmount, usage_unit: row.usageUnit, cost: row.cost, cost_type: row.costType, invoice_month: row.invoiceMonth, billing_account_id: row.billingAccount,
      ...(rate === undefined ? {} : { currency, currency_conversion_rate: rate }),
    },
  };

  const costType = row.costType.toLowerCase();
  if (COST_TYPES[costType]) base.chargeCategory = COST_TYPES[costType];
  else if (costType === 'adjustment') base.chargeCategory = cost.startsWith('-') ? 'credit' : 'fee';
  else if (/support/i.test(row.service)) base.chargeCategory = 'support';
  else if (provider === 'gcp') base.chargeCategory = /\btokens?\b/i.test(row.sku) ? 'unclassified' : 'non_llm';
  else skuUsage(base, row, resolve, start, ctx.meters);

  const entries = [buildEntry(base, ctx)];
  for (const [i, credit] of row.credits.entries()) {
    // Credits are separate rows: llmfin's usage views stay gross, the bill nets out.
    entries.push(
      buildEntry(
        {
          ...base, usage: undefined, model: base.model, serviceTier: undefined, chargeCategory: 'credit',
          dedupeKey: `${base.dedupeKey}/credit/${i}`,
          billedUsd: toUsd(decimalText(credit.amount)!, rate),
          description: `${credit.name || credit.type || 'credit'}${row.sku ? ` on ${row.sku}` : ''}`,
          raw: { credit_name: credit.name, credit_type: credit.type, credit_id: credit.id, amount: credit.amount, sku: row.sku, ...(rate === undefined ? {} : { currency, currency_conversion_rate: rate }) },
        },
        ctx,
      ),
    );
  }
  return entries;
}

/** Model, tokens and tier of an AI SKU; 'unclassified' when the SKU is not understood. */
function skuUsage(fields: EntryFields, row: GcpRow, resolve: GcpRowContext['resolve'], at: Date, meters: MeterMap | undefined): void {
  // The user's mapping (import.meters) wins: it names models our tables do not know yet.
  const userMapped = meters?.find('gcp-billing', row.sku);
  const sku: GcpSku | undefined = userMapped
    ? { kind: 'tokens', modelName: userMapped.model, candidates: [userMapped.model], tokenKind: userMapped.tokenKind, serviceTier: userMapped.batch ? 'batch' : undefined, longContext: false, video: false }
    : parseGcpSku(row.sku);
  if (!sku) {
    fields.chargeCategory = 'unclassified';
    fields.description = row.sku || row.service;
    return;
  }
  fields.chargeCategory = 'usage';
  fields.model = resolve(fields.provider, sku.candidates, at) ?? sku.modelName;
  fields.region = row.location || undefined;
  const notes: string[] = [];
  if (userMapped) notes.push(`mapped by import.meters "${userMapped.match}"`);
  if (sku.kind === 'storage') {
    notes.push('context cache storage, no token estimate');
    fields.description = [row.sku, ...notes].join('; ');
    return;
  }
  fields.serviceTier = sku.serviceTier;
  fields.convention = LEDGER_CONVENTION;
  // A "(Long)" SKU bills requests above the long-context threshold: estimated at those rates.
  fields.longContext = sku.longContext;
  if (sku.longContext) notes.push('long-context SKU');
  if (sku.video) notes.push('video input counted as input');
  // usage.amount counts tokens when usage.unit says so; older Gemini SKUs bill characters: no estimate then.
  const amount = decimalText(row.usageAmount);
  const size = unitSize(row.usageUnit);
  const tokens = amount === undefined || size === undefined || amount.startsWith('-') ? undefined : tokensFrom(amount, size);
  if (tokens === undefined) notes.push(`no token estimate: usage ${shown(row.usageAmount)} in ${shown(row.usageUnit)} is not a token count`);
  else {
    fields.usage = tokenUsage(sku.tokenKind, tokens);
    fields.raw = { ...(fields.raw as object), token_kind: sku.tokenKind, tokens };
  }
  fields.description = [row.sku, ...notes].join('; ');
}
