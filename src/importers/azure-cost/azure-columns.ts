/**
 * The columns of an Azure Cost Management "cost and usage details" export under the
 * names each agreement writes them: EA (`MeterCategory`, `CostInBillingCurrency` or `Cost`,
 * `Date`), MCA (`meterCategory`, `costInBillingCurrency`, `date`) and the older
 * pay-as-you-go schema (`UsageDateTime`, `PreTaxCost`, `SubscriptionGuid`). Also the two
 * cell formats Azure invents: US dates without a zone and tags as JSON without braces.
 */
import { columnFinder, type HeaderProblem } from '../aws-cur/checked-csv.js';
import { parseUtc } from '../aws-cur/billing-values.js';

export const AZURE_FIELDS = {
  date: ['Date', 'UsageDate', 'UsageDateTime'],
  cost: ['CostInBillingCurrency', 'Cost', 'PreTaxCost'],
  costUsd: ['CostInUsd', 'CostUSD'],
  currency: ['BillingCurrency', 'BillingCurrencyCode', 'Currency'],
  /** The currency prices are set in (USD for most agreements), its cost, and the rate pricing → billing. */
  pricingCurrency: ['PricingCurrencyCode', 'PricingCurrency'],
  costPricing: ['CostInPricingCurrency'],
  exchangeRate: ['ExchangeRatePricingToBilling', 'ExchangeRate'],
  subscription: ['SubscriptionId', 'SubscriptionGuid'],
  resourceId: ['ResourceId', 'InstanceId'],
  resourceGroup: ['ResourceGroup', 'ResourceGroupName'],
  location: ['ResourceLocation', 'Location'],
  meterCategory: ['MeterCategory'],
  meterSubCategory: ['MeterSubCategory', 'MeterSubcategory'],
  meterName: ['MeterName'],
  meterId: ['MeterId'],
  meterRegion: ['MeterRegion'],
  quantity: ['Quantity', 'UsageQuantity'],
  unit: ['UnitOfMeasure'],
  chargeType: ['ChargeType'],
  pricingModel: ['PricingModel'],
  tags: ['Tags'],
  product: ['ProductName', 'Product'],
  consumedService: ['ConsumedService'],
  /** What a purchase bought: the reservation's product ("Provisioned Managed Global"). */
  productOrderName: ['ProductOrderName'],
  reservationId: ['ReservationId'],
  benefitId: ['BenefitId'],
  additionalInfo: ['AdditionalInfo'],
} as const;

export type AzureField = keyof typeof AZURE_FIELDS;

export interface AzureColumns {
  name(field: AzureField): string | undefined;
}

export function azureColumns(header: readonly string[]): AzureColumns {
  const find = columnFinder(header);
  return { name: (field) => find(AZURE_FIELDS[field]) };
}

/** Why a header is not an Azure cost export's, or undefined when it is. */
export function azureHeaderProblem(header: readonly string[]): HeaderProblem | undefined {
  const cols = azureColumns(header);
  for (const field of ['meterCategory', 'meterName', 'date', 'subscription'] as const) {
    if (cols.name(field) === undefined) return missing(field);
  }
  if (cols.name('cost') === undefined && cols.name('costUsd') === undefined) return missing('cost');
  return undefined;
}

/**
 * An EA or MCA export without the quantity or its unit, which both always have (renamed
 * in a spreadsheet, say): every Azure OpenAI meter's tokens would go uncounted while its
 * money reads right. The older pay-as-you-go schema (`PreTaxCost`) is left alone: it has a
 * `UsageQuantity` but no `UnitOfMeasure`. Asked when the file is read, not by detect.
 */
export function azureQuantityProblem(header: readonly string[]): HeaderProblem | undefined {
  const cols = azureColumns(header);
  if (cols.name('cost')?.toLowerCase() === 'pretaxcost') return undefined;
  const field = (['quantity', 'unit'] as const).find((f) => cols.name(f) === undefined);
  if (field === undefined) return undefined;
  const names = AZURE_FIELDS[field];
  const also = names.length > 1 ? ` (or ${names.slice(1).map((n) => `"${n}"`).join(', ')})` : '';
  return { column: names[0], message: `expected a "${names[0]}" column${also} in an EA or MCA export, got none: every one has it, and without it no Azure OpenAI meter's tokens are counted` };
}

function missing(field: AzureField): HeaderProblem {
  const names = AZURE_FIELDS[field];
  const also = names.length > 1 ? ` (or ${names.slice(1).map((n) => `"${n}"`).join(', ')})` : '';
  return { column: names[0], message: `expected a "${names[0]}" column${also}, got none: not an Azure cost details export` };
}

/**
 * The usage day: EA/MCA CSVs write US dates ("9/2/2023", "09/21/2023"), APIs ISO ones; both
 * are UTC billing days. `dmy`: the file's slash dates are DD/MM/YYYY (azure-dates.ts).
 */
export function parseUsageDay(text: string, order: 'mdy' | 'dmy' = 'mdy'): Date | undefined {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (us) {
    const [first, second, year] = [Number(us[1]), Number(us[2]), Number(us[3])];
    const [month, day] = order === 'mdy' ? [first, second] : [second, first];
    const d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : undefined;
  }
  const iso = parseUtc(text);
  return iso ? new Date(Date.UTC(iso.getUTCFullYear(), iso.getUTCMonth(), iso.getUTCDate())) : undefined;
}

/** Tags: `"env": "prod","org": "trey"` (EA/MCA: JSON without its braces) or a JSON object. */
export function parseAzureTags(text: string): Record<string, string> | undefined {
  const t = text.trim();
  if (t === '' || t === '{}') return {};
  try {
    const value: unknown = JSON.parse(t.startsWith('{') ? t : `{${t}}`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = k.trim();
      if (key !== '' && v !== null && v !== undefined && v !== '') out[key] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return out;
  } catch {
    return undefined;
  }
}
