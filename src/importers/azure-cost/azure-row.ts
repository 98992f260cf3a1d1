/**
 * One Azure cost-details row → one ledger row. The row's cost is kept as billed money
 * (USD: the billing-currency cost when the account bills in USD, else converted as
 * usdCost() says); Azure OpenAI / Foundry token meters also get a model, tokens
 * (Quantity × UnitOfMeasure) and llmfin's estimate beside the bill.
 */
import type { ChargeCategory, NewUsageEntry } from '../../ledger/ledger-schema.js';
import { buildEntry, type EntryFields } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import {
  decimalText, hashKey, LEDGER_CONVENTION, type modelResolver, positiveRate, shown, tokensFrom, tokenUsage, unitSize, usdAtRate,
} from '../aws-cur/billing-values.js';
import { AZURE_FIELDS, parseAzureTags, parseUsageDay, type AzureColumns, type AzureField } from './azure-columns.js';
import { parseAzureMeter, type AzureMeter } from './azure-meter.js';
import { orderName, type DateOrder } from './azure-dates.js';
import type { MeterMap } from '../meter-map.js';
import { tagDims } from '../tag-dims.js';

export interface RowProblem {
  column?: string | undefined;
  message: string;
}

export interface AzureRowContext {
  ctx: ImportContext;
  cols: AzureColumns;
  uniqueKey: (key: string) => string;
  resolve: ReturnType<typeof modelResolver>;
  /** The order of the file's slash dates (azure-dates.ts); MM/DD/YYYY, Azure's, by default. */
  dateOrder?: DateOrder | undefined;
}

/**
 * Meter categories, services and products of Azure's AI offerings. "Provisioned Managed" is
 * the product a provisioned-throughput reservation is bought as (azure-meter.ts names sources).
 */
const AI_SERVICE = /cognitive services|openai|foundry|ai services|azure ai\b|microsoft\.cognitiveservices|provisioned managed/i;
/**
 * Azure AI services under "Cognitive Services" that are not language models (Azure AI
 * Language, formerly Text Analytics; Translator; Speech): other services on the bill, like a
 * VM. Only the sub-category is read: an Azure OpenAI product may name speech ("Az-Speech-Whisper").
 */
const NOT_LLM_AI = /\b(?:text analytics|language|translator|speech)\b/i;
/** Charge types that are not consumption; everything else is classified by its meter. */
const CHARGE_TYPES: Record<string, ChargeCategory> = { refund: 'credit', credit: 'credit', tax: 'tax', roundingadjustment: 'fee' };
/**
 * Commitments: a reservation or savings plan bought, and the part of it left unused. Bought
 * for Azure OpenAI provisioned throughput, it is LLM spend ('usage', as Bedrock's provisioned
 * throughput is in aws-cur); bought for anything else, it is a 'fee', as CUR's RI and Savings
 * Plan fees are, so both exports put a commitment in the same place.
 */
const COMMITMENTS = new Set(['purchase', 'unusedreservation', 'unusedsavingsplan']);
/** Data zones are "EU" or "US"; which one follows from where the resource lives. */
const EU_PLACE = /europe|\beu\b|^eu|uk|sweden|france|germany|switzerland|norway|poland|italy|spain/i;
const US_PLACE = /\bus\b|^us|us$|usa|america|(east|west|central)us/i;

const DAY_MS = 86_400_000;

export function azureRowToEntry(record: Record<string, string>, { ctx, cols, uniqueKey, resolve, dateOrder = 'mdy' }: AzureRowContext): NewUsageEntry | RowProblem {
  const get = (f: AzureField): string => {
    const name = cols.name(f);
    return name === undefined ? '' : (record[name] ?? '').trim();
  };
  const col = (f: AzureField): string => cols.name(f) ?? AZURE_FIELDS[f][0];

  const day = parseUsageDay(get('date'), dateOrder);
  if (!day) return { column: col('date'), message: `expected a date (${orderName(dateOrder)} or YYYY-MM-DD), got ${shown(get('date'))}` };
  const currency = get('currency').toUpperCase();
  const money = usdCost(get, col, cols, currency);
  if ('message' in money) return money;
  const { cost, costColumn } = money;
  const subscription = get('subscription');
  if (subscription === '') return { column: col('subscription'), message: 'expected a subscription id, got nothing' };
  const tags = parseAzureTags(get('tags'));
  if (!tags) return { column: col('tags'), message: `expected tags as JSON key/value pairs, got ${shown(get('tags'))}` };

  const category = get('meterCategory');
  const subCategory = get('meterSubCategory');
  const meterName = get('meterName');
  const chargeType = get('chargeType');
  const fields: EntryFields = {
    source: 'azure-cost',
    provenance: 'billed',
    // Azure cost rows have no id: the fields that identify a charge, so a corrected export upserts it.
    dedupeKey: uniqueKey(
      hashKey([
        subscription, day.toISOString(), get('resourceId'), get('meterId') || `${category}/${subCategory}/${meterName}`, chargeType,
        get('pricingModel'), get('reservationId'), get('benefitId'), get('unit'), get('location'), tags, get('additionalInfo'),
      ]),
    ),
    provider: 'azure',
    ts: day.toISOString(),
    tsEnd: new Date(day.getTime() + DAY_MS).toISOString(),
    granularity: 'day',
    account: subscription,
    billedUsd: cost,
    requests: 0,
    tags,
    dims: tagDims(tags),
    description: [category, subCategory, meterName].filter((p) => p !== '').join(' / ') || null,
    raw: {
      meter_category: category, meter_subcategory: subCategory, meter_name: meterName, quantity: get('quantity'), unit_of_measure: get('unit'),
      cost: get(costColumn), currency: currency || 'USD', charge_type: chargeType, resource_id: get('resourceId'), pricing_model: get('pricingModel'),
      ...(money.rate === undefined ? {} : { billed_cost: get('cost'), pricing_currency: 'USD', exchange_rate_pricing_to_billing: money.rate }),
    },
  };

  const chargeKey = chargeType.toLowerCase().replace(/\s/g, '');
  const special = CHARGE_TYPES[chargeKey];
  const commitment = COMMITMENTS.has(chargeKey);
  const isAi = [category, subCategory, get('product'), get('consumedService'), get('productOrderName')].some((v) => AI_SERVICE.test(v)) || /\btokens?\b/i.test(meterName);
  if (special) fields.chargeCategory = special;
  else if (/support/i.test(category)) fields.chargeCategory = 'support';
  else if (!isAi || NOT_LLM_AI.test(subCategory)) fields.chargeCategory = commitment ? 'fee' : 'non_llm';
  else if (commitment) aiCommitment(fields, { meterName, chargeType, product: get('productOrderName') || get('product') });
  else {
    const problem = aiMeter(fields, { meters: ctx.meters, meterName, chargeType, quantity: get('quantity'), quantityColumn: col('quantity'), unit: get('unit'), place: `${get('location')} ${get('meterRegion')}`, resolve, at: day });
    if (problem) return problem;
  }
  return buildEntry(fields, ctx);
}

/**
 * The row's cost in USD. A USD account's cost is its billing-currency cost. Otherwise, in
 * order: the export's CostInUsd; the cost in the pricing currency when prices are in USD;
 * or the billing-currency cost at ExchangeRatePricingToBilling (billing-currency units
 * per pricing-currency unit, as Microsoft documents it) when prices are in USD, the amount
 * billed and the rate kept in raw usage.
 */
function usdCost(
  get: (f: AzureField) => string,
  col: (f: AzureField) => string,
  cols: AzureColumns,
  currency: string,
): { cost: string; costColumn: AzureField; rate?: string } | RowProblem {
  const amount = (f: AzureField): { cost: string; costColumn: AzureField } | RowProblem => {
    const cost = decimalText(get(f));
    return cost === undefined ? { column: col(f), message: `expected a decimal amount, got ${shown(get(f))}` } : { cost, costColumn: f };
  };
  if ((currency === '' || currency === 'USD') && cols.name('cost') !== undefined) return amount('cost');
  if (cols.name('costUsd') !== undefined) return amount('costUsd');
  const pricedInUsd = get('pricingCurrency').toUpperCase() === 'USD';
  if (pricedInUsd && cols.name('costPricing') !== undefined) return amount('costPricing');
  if (pricedInUsd && cols.name('exchangeRate') !== undefined && cols.name('cost') !== undefined) {
    const billed = amount('cost');
    if ('message' in billed) return billed;
    const rate = positiveRate(get('exchangeRate'));
    if (rate === undefined) return { column: col('exchangeRate'), message: `expected a positive exchange rate (${currency} per USD), got ${shown(get('exchangeRate'))}` };
    return { cost: usdAtRate(billed.cost, rate), costColumn: 'cost', rate };
  }
  return {
    column: col('currency'),
    message: `expected USD, or beside the billing currency a "CostInUsd" column, or prices in USD ("PricingCurrencyCode") with "CostInPricingCurrency" or "ExchangeRatePricingToBilling", got ${shown(currency)}`,
  };
}

interface MeterCells {
  meters: MeterMap | undefined;
  meterName: string;
  chargeType: string;
  quantity: string;
  quantityColumn: string;
  unit: string;
  place: string;
  resolve: AzureRowContext['resolve'];
  at: Date;
}

/** Model, tokens, tier and deployment of an AI meter; 'unclassified' when the meter name is not understood. */
function aiMeter(fields: EntryFields, c: MeterCells): RowProblem | undefined {
  // The user's mapping (import.meters) wins: it names models our tables do not know yet.
  const userMapped = c.meters?.find('azure-cost', c.meterName);
  const meter: AzureMeter | undefined = userMapped
    ? { kind: 'tokens', modelName: userMapped.model, candidates: [userMapped.model], tokenKind: userMapped.tokenKind, deployment: undefined, batch: userMapped.batch }
    : parseAzureMeter(c.meterName);
  if (!meter) {
    fields.chargeCategory = 'unclassified';
    fields.description = c.meterName || fields.description;
    return undefined;
  }
  fields.chargeCategory = 'usage';
  const zone = EU_PLACE.test(c.place) ? 'eu' : US_PLACE.test(c.place) ? 'us' : undefined;
  const notes: string[] = [];
  if (userMapped) notes.push(`mapped by import.meters "${userMapped.match}"`);
  // Deployment type is the offering (global / data zone / regional); the region column records it.
  if (meter.deployment === 'global') fields.region = 'global';
  else if (meter.deployment === 'datazone') {
    fields.region = zone;
    notes.push(`Data Zone${zone ? ` ${zone.toUpperCase()}` : ''} deployment`);
  } else if (meter.deployment === 'regional') {
    fields.region = c.place.trim().split(/\s+/)[0] || undefined;
    notes.push('regional deployment');
  }
  if (meter.kind === 'fineTuning') {
    fields.model = c.resolve('azure', meter.candidates, c.at) ?? (meter.modelName || undefined);
    notes.push(`${meter.phase === 'training' ? 'fine-tuning training' : 'fine-tuned model hosting'}, no token estimate`);
    fields.description = [c.meterName, ...notes].join('; ');
    return undefined;
  }
  if (meter.kind === 'provisioned') {
    fields.model = meter.modelName || undefined;
    notes.push('provisioned throughput (PTU), no token estimate');
    fields.description = [c.meterName, ...notes].join('; ');
    return undefined;
  }
  fields.model = c.resolve('azure', meter.candidates, c.at) ?? meter.modelName;
  fields.serviceTier = meter.batch ? 'batch' : undefined;
  fields.convention = LEDGER_CONVENTION;
  const consumption = c.chargeType === '' || /^usage$/i.test(c.chargeType);
  const quantity = decimalText(c.quantity);
  if (consumption && quantity === undefined) return { column: c.quantityColumn, message: `expected a decimal quantity, got ${shown(c.quantity)}` };
  // Quantity is in UnitOfMeasure ("1K", "1M" tokens): never assume the scale.
  const size = unitSize(c.unit);
  const tokens = !consumption || quantity === undefined || size === undefined || quantity.startsWith('-') ? undefined : tokensFrom(quantity, size);
  if (tokens === undefined) {
    notes.push(
      !consumption ? `${c.chargeType} charge, no token estimate`
      : size === undefined ? `no token estimate: unit ${shown(c.unit)} is not a token unit`
      : `no token estimate: quantity ${shown(c.quantity)} is not a token count`,
    );
  }
  else {
    fields.usage = tokenUsage(meter.tokenKind, tokens);
    fields.raw = { ...(fields.raw as object), token_kind: meter.tokenKind, tokens };
  }
  fields.description = [c.meterName, ...notes].join('; ');
  return undefined;
}

/**
 * A reservation for Azure OpenAI provisioned throughput, bought or left unused: LLM spend as
 * billed, with the model when the meter names one, and no tokens (what it bought is capacity).
 */
function aiCommitment(fields: EntryFields, c: { meterName: string; chargeType: string; product: string }): void {
  const meter = parseAzureMeter(c.meterName);
  fields.chargeCategory = 'usage';
  fields.model = meter?.kind === 'provisioned' || meter?.kind === 'fineTuning' ? meter.modelName || undefined : undefined;
  if (meter?.deployment === 'global') fields.region = 'global';
  fields.description = [c.meterName || c.product || null, `${c.chargeType} of a provisioned throughput reservation, no token estimate`].filter((p) => p !== null).join('; ');
}
