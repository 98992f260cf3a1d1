/**
 * One CUR line item → one ledger row. The unblended cost is kept as billed money on
 * every row (discounts, credits and Savings Plans negations are their own line items,
 * so the rows sum to the invoice); what the row IS comes from the line-item type and the
 * product, and for Amazon Bedrock token lines from the usage type (bedrock-usage-type.ts).
 */
import type { ChargeCategory, NewUsageEntry } from '../../ledger/ledger-schema.js';
import { buildEntry, type EntryFields } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import { bedrockModelId, parseBedrockUsageType , type BedrockLine } from './bedrock-usage-type.js';
import {
  awsAccountIdDamage, decimalText, granularityOf, hashKey, LEDGER_CONVENTION, type modelResolver, parseUtc, shown, tokensFrom, tokenUsage, unitSize,
} from './billing-values.js';
import { CUR_FIELDS, parseMapCell, tagKey, type CurColumns, type CurField } from './cur-columns.js';
import type { MeterMap } from '../meter-map.js';
import { tagDims } from '../tag-dims.js';

export interface RowProblem {
  column?: string | undefined;
  message: string;
}

/** Line-item types → what they are; 'product' means "decided by the product and usage type". */
const LINE_TYPES: Record<string, ChargeCategory | 'product'> = {
  usage: 'product', discountedusage: 'product', savingsplancoveredusage: 'product',
  tax: 'tax', credit: 'credit', refund: 'credit',
  edpdiscount: 'credit', privateratediscount: 'credit', bundleddiscount: 'credit', discount: 'credit',
  distributordiscount: 'credit', savingsplannegation: 'credit',
  fee: 'fee', rifee: 'fee', savingsplanrecurringfee: 'fee', savingsplanupfrontfee: 'fee',
};
/** Only these carry consumption whose quantity is tokens. */
const CONSUMPTION = new Set(['usage', 'discountedusage', 'savingsplancoveredusage']);

export interface CurRowContext {
  ctx: ImportContext;
  cols: CurColumns;
  uniqueKey: (key: string) => string;
  resolve: ReturnType<typeof modelResolver>;
}

export function curRowToEntry(record: Record<string, string>, { ctx, cols, uniqueKey, resolve }: CurRowContext): NewUsageEntry | RowProblem {
  const get = (f: CurField): string => {
    const name = cols.name(f);
    return name === undefined ? '' : (record[name] ?? '').trim();
  };
  const col = (f: CurField): string => cols.name(f) ?? CUR_FIELDS[f][0];

  const costText = get('unblendedCost');
  const cost = decimalText(costText);
  if (cost === undefined) return { column: col('unblendedCost'), message: `expected a decimal amount, got ${shown(costText)}` };
  const currency = get('currency').toUpperCase();
  if (currency !== '' && currency !== 'USD') return { column: col('currency'), message: `expected USD (the ledger keeps billed money in USD), got ${shown(currency)}` };
  const start = parseUtc(get('start'));
  if (!start) return { column: col('start'), message: `expected an ISO 8601 UTC time, got ${shown(get('start'))}` };
  const end = get('end') === '' ? undefined : parseUtc(get('end'));
  if (get('end') !== '' && (!end || end < start)) return { column: col('end'), message: `expected an ISO 8601 UTC time not before the start, got ${shown(get('end'))}` };
  const account = get('usageAccount') || get('payerAccount');
  if (account === '') return { column: col('usageAccount'), message: 'expected an AWS account id, got nothing' };
  const damage = awsAccountIdDamage(account);
  if (damage !== undefined) {
    return { column: col(get('usageAccount') ? 'usageAccount' : 'payerAccount'), message: `expected a 12-digit AWS account id, got ${shown(account)} (${damage}; export the CUR again)` };
  }

  const tags: Record<string, string> = {};
  for (const [name, key] of cols.tagColumns) {
    const v = (record[name] ?? '').trim();
    if (v !== '') tags[key] = v;
  }
  if (cols.name('tagMap') !== undefined) {
    const map = parseMapCell(get('tagMap'));
    if (!map) return { column: col('tagMap'), message: `expected a JSON object of tags, got ${shown(get('tagMap'))}` };
    for (const [k, v] of Object.entries(map)) tags[tagKey(k)] = v;
  }
  const productMap = cols.name('productMap') === undefined ? {} : (parseMapCell(get('productMap')) ?? {});

  const lineType = get('lineItemType');
  const productCode = get('productCode');
  const usageType = get('usageType');
  const productName = get('productName') || productMap.product_name || '';
  const lineDescription = get('lineDescription');
  const isBedrock = /bedrock/i.test(productCode) || /bedrock/i.test(get('serviceCode')) || /amazon bedrock/i.test(productName);
  const lineCategory = LINE_TYPES[lineType.toLowerCase()];

  const fields: EntryFields = {
    source: 'aws-cur',
    provenance: 'billed',
    dedupeKey: uniqueKey(
      get('lineItemId') !== ''
        ? `${get('lineItemId')}/${get('timeInterval') || get('start')}`
        : hashKey([account, get('start'), get('end'), lineType, productCode, usageType, get('operation'), get('resourceId'), tags]),
    ),
    provider: isBedrock ? 'bedrock' : 'aws',
    ts: start.toISOString(),
    tsEnd: end?.toISOString() ?? null,
    granularity: granularityOf(start, end),
    account,
    billedUsd: cost,
    requests: 0,
    tags,
    dims: tagDims(tags),
    // Bedrock usage types name their service; other services' usage types need the product beside them.
    description: usageType === '' ? lineDescription || productCode || null : isBedrock || productCode === '' ? usageType : `${productCode}: ${usageType}`,
    raw: {
      line_item_type: lineType, product_code: productCode, usage_type: usageType, operation: get('operation'),
      resource_id: get('resourceId'), usage_amount: get('usageAmount'), pricing_unit: get('pricingUnit'), unblended_cost: costText,
    },
  };

  if (lineCategory === 'tax' || lineCategory === 'credit') {
    fields.chargeCategory = lineCategory;
  } else if (/support/i.test(productCode)) {
    // AWS Support is billed as a Fee line (or Usage on some plans): it is support either way.
    fields.chargeCategory = 'support';
  } else if (lineCategory !== undefined && lineCategory !== 'product') {
    fields.chargeCategory = lineCategory;
  } else if (!isBedrock) {
    // Token-priced usage outside Bedrock (a Marketplace model, a new AI service) is surfaced, not hidden.
    fields.chargeCategory = /token/i.test(usageType) ? 'unclassified' : 'non_llm';
  } else if (lineCategory === undefined || !CONSUMPTION.has(lineType.toLowerCase())) {
    fields.chargeCategory = 'unclassified';
  } else {
    const problem = bedrockUsage(fields, resolve, start, { meters: ctx.meters, usageType, productName, region: get('regionCode') || productMap.region || '', amount: get('usageAmount'), unit: get('pricingUnit'), lineDescription, amountColumn: col('usageAmount') });
    if (problem) return problem;
  }
  return buildEntry(fields, ctx);
}

interface BedrockCells {
  meters: MeterMap | undefined;
  usageType: string;
  productName: string;
  region: string;
  amount: string;
  unit: string;
  lineDescription: string;
  amountColumn: string;
}

/** Fills model, tokens, tier and region of a Bedrock consumption line; 'unclassified' when its usage type is not understood. */
function bedrockUsage(fields: EntryFields, resolve: CurRowContext['resolve'], at: Date, c: BedrockCells): RowProblem | undefined {
  // The user's mapping (import.meters) wins: it names models our tables do not know yet.
  const userMapped = c.meters?.find('aws-cur', c.usageType);
  const parsed: BedrockLine = userMapped
    ? { kind: 'tokens', modelName: userMapped.model, tokenKind: userMapped.tokenKind, serviceTier: userMapped.batch ? 'batch' : undefined, region: undefined, route: undefined }
    : parseBedrockUsageType(c.usageType, c.productName);
  if (parsed.kind === 'unknown') {
    fields.chargeCategory = 'unclassified';
    return undefined;
  }
  fields.chargeCategory = 'usage';
  if (parsed.kind === 'provisioned') {
    fields.region = c.region || parsed.region;
    fields.description = `${c.usageType}; provisioned throughput (billed per model unit, no token estimate)`;
    return undefined;
  }
  const mapped = userMapped ? userMapped.model : bedrockModelId(parsed.modelName);
  const geo = parsed.route !== undefined && parsed.route !== 'cross-region' ? parsed.route : undefined;
  // A cross-region route is part of the Bedrock model id ("global.anthropic…"): it selects the offering and its geo price.
  const id = mapped ? resolve('bedrock', [geo ? `${geo}.${mapped}` : mapped], at) : undefined;
  fields.model = id ?? parsed.modelName;
  fields.region = geo ?? (c.region || parsed.region);
  fields.serviceTier = parsed.serviceTier;
  fields.convention = LEDGER_CONVENTION;
  const notes: string[] = [];
  if (userMapped) notes.push(`mapped by import.meters "${userMapped.match}"`);
  if (parsed.route === 'cross-region') notes.push('cross-region inference (route not named)');

  const amount = decimalText(c.amount);
  if (amount === undefined) return { column: c.amountColumn, message: `expected a decimal usage amount, got ${shown(c.amount)}` };
  // The unit decides the scale: CUR quantities are in pricing units (often 1K tokens), never assumed.
  const perUnit = unitSize(c.unit) ?? unitSize(/per (1K|1M|1,000|1,000,000|1000|1000000) [a-z -]*tokens\b/i.exec(c.lineDescription)?.[1]);
  const tokens = perUnit === undefined || amount.startsWith('-') ? undefined : tokensFrom(amount, perUnit);
  if (tokens === undefined) {
    notes.push(perUnit === undefined ? `no token estimate: pricing unit ${shown(c.unit)} is not a token unit` : `no token estimate: usage amount ${shown(c.amount)} is not a token count`);
  }
  else {
    fields.usage = tokenUsage(parsed.tokenKind, tokens);
    fields.raw = { ...(fields.raw as object), token_kind: parsed.tokenKind, tokens };
  }
  fields.description = [c.usageType, ...notes].join('; ');
  return undefined;
}
