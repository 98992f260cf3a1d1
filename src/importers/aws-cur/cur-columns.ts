/**
 * The CUR columns the importer reads, under every name AWS writes them: legacy CUR
 * (`lineItem/UsageType`), its Athena spelling and CUR 2.0 (`line_item_usage_type`). A file
 * uses one of them; the reader asks for logical fields and this module finds the column.
 * Tags come as one column per tag (legacy) or as one JSON map column (CUR 2.0).
 */
import { columnFinder, type HeaderProblem } from './checked-csv.js';

export const CUR_FIELDS = {
  lineItemId: ['identity/LineItemId', 'identity_line_item_id'],
  timeInterval: ['identity/TimeInterval', 'identity_time_interval'],
  usageAccount: ['lineItem/UsageAccountId', 'line_item_usage_account_id'],
  payerAccount: ['bill/PayerAccountId', 'bill_payer_account_id'],
  billingPeriodStart: ['bill/BillingPeriodStartDate', 'bill_billing_period_start_date'],
  billingPeriodEnd: ['bill/BillingPeriodEndDate', 'bill_billing_period_end_date'],
  lineItemType: ['lineItem/LineItemType', 'line_item_line_item_type'],
  start: ['lineItem/UsageStartDate', 'line_item_usage_start_date'],
  end: ['lineItem/UsageEndDate', 'line_item_usage_end_date'],
  productCode: ['lineItem/ProductCode', 'line_item_product_code'],
  usageType: ['lineItem/UsageType', 'line_item_usage_type'],
  operation: ['lineItem/Operation', 'line_item_operation'],
  resourceId: ['lineItem/ResourceId', 'line_item_resource_id'],
  usageAmount: ['lineItem/UsageAmount', 'line_item_usage_amount'],
  unblendedCost: ['lineItem/UnblendedCost', 'line_item_unblended_cost'],
  currency: ['lineItem/CurrencyCode', 'line_item_currency_code'],
  lineDescription: ['lineItem/LineItemDescription', 'line_item_line_item_description'],
  pricingUnit: ['pricing/unit', 'pricing_unit'],
  serviceCode: ['product/servicecode', 'product_servicecode'],
  productName: ['product/ProductName', 'product_product_name'],
  regionCode: ['product/regionCode', 'product_region_code', 'product/region', 'product_region'],
  /** CUR 2.0 keeps most product attributes in one JSON map column. */
  productMap: ['product'],
  tagMap: ['resource_tags'],
} as const;

export type CurField = keyof typeof CUR_FIELDS;

/** What every CUR row must have; the first name is the one messages use. */
const REQUIRED: readonly CurField[] = ['usageType', 'unblendedCost', 'lineItemType', 'start', 'usageAccount'];

export interface CurColumns {
  /** The header's name for a field, if the file has it. */
  name(field: CurField): string | undefined;
  /** Tag columns of a legacy CUR: header name → tag key ("resourceTags/user:team" → "team"). */
  tagColumns: ReadonlyArray<[string, string]>;
}

/** Strips the "user:" prefix AWS puts on user-defined cost-allocation tags; "aws:createdBy" stays. */
export function tagKey(raw: string): string {
  return raw.startsWith('user:') ? raw.slice(5) : raw;
}

export function curColumns(header: readonly string[]): CurColumns {
  const find = columnFinder(header);
  const tagColumns: Array<[string, string]> = [];
  for (const h of header) {
    if (h.startsWith('resourceTags/')) tagColumns.push([h, tagKey(h.slice('resourceTags/'.length))]);
    else if (/^resource_tags_user_/i.test(h)) tagColumns.push([h, h.slice('resource_tags_user_'.length)]);
  }
  return { name: (field) => find(CUR_FIELDS[field]), tagColumns };
}

/** Why a header is not a CUR's, or undefined when it is. */
export function curHeaderProblem(header: readonly string[]): HeaderProblem | undefined {
  const cols = curColumns(header);
  for (const field of REQUIRED) {
    if (cols.name(field) === undefined) {
      const [legacy, v2] = CUR_FIELDS[field];
      return { column: legacy, message: `expected a "${legacy}" (or "${v2}") column, got none: not an AWS Cost and Usage Report` };
    }
  }
  return undefined;
}

/** Parses a CUR 2.0 map cell (`{"user:team":"search"}`); an empty cell is an empty map. */
export function parseMapCell(text: string | undefined): Record<string, string> | undefined {
  const t = (text ?? '').trim();
  if (t === '' || t === '{}') return {};
  try {
    const value: unknown = JSON.parse(t);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && v !== undefined && v !== '') out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return out;
  } catch {
    return undefined;
  }
}
