/**
 * Cloud Billing export rows, whatever shape they were saved in: BigQuery JSON (nested
 * records, `labels` and `credits` as arrays) or a flattened CSV of a query over the export
 * table (`service.description` or `service_description` columns, `labels` and `credits` as
 * JSON text). Both become one flat `GcpRow` of exact texts, with the column each value
 * came from for messages.
 */
import { shown } from '../aws-cur/billing-values.js';
import { columnFinder, type HeaderProblem } from '../aws-cur/checked-csv.js';
import { JsonNumber, parseExactJson, type JsonValue } from './exact-json.js';

export interface GcpCredit {
  name: string;
  type: string;
  id: string;
  amount: string;
  /** Where the amount came from ("credits[0].amount"), for messages. */
  column: string;
}

export interface GcpRow {
  billingAccount: string;
  serviceId: string;
  service: string;
  skuId: string;
  sku: string;
  start: string;
  end: string;
  project: string;
  labels: Record<string, string>;
  location: string;
  cost: string;
  currency: string;
  /** Units of `currency` per US dollar (`currency_conversion_rate`), for a non-USD account. */
  conversionRate: string;
  usageAmount: string;
  usageUnit: string;
  credits: GcpCredit[];
  invoiceMonth: string;
  costType: string;
  exportTime: string;
}

/** Field → its path in the export schema; CSV headers use the path or its snake_case form. */
export const GCP_FIELDS = {
  billingAccount: 'billing_account_id',
  serviceId: 'service.id',
  service: 'service.description',
  skuId: 'sku.id',
  sku: 'sku.description',
  start: 'usage_start_time',
  end: 'usage_end_time',
  project: 'project.id',
  location: 'location.region',
  locationName: 'location.location',
  cost: 'cost',
  currency: 'currency',
  conversionRate: 'currency_conversion_rate',
  usageAmount: 'usage.amount',
  usageUnit: 'usage.unit',
  invoiceMonth: 'invoice.month',
  costType: 'cost_type',
  exportTime: 'export_time',
  labels: 'labels',
  credits: 'credits',
} as const;
type Field = keyof typeof GCP_FIELDS;

const REQUIRED: readonly Field[] = ['sku', 'start', 'cost'];

export type RowResult = { row: GcpRow } | { column: string; message: string };

function text(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (v instanceof JsonNumber) return v.text;
  return typeof v === 'string' || typeof v === 'boolean' ? String(v).trim() : '';
}

/** `labels`: BigQuery's [{key, value}] array, or a plain object. Undefined when it is neither. */
function labelsOf(v: JsonValue | undefined): Record<string, string> | undefined {
  if (v === undefined || v === null || v === '') return {};
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof JsonNumber) return undefined;
      const key = text(item.key);
      if (key !== '' && text(item.value) !== '') out[key] = text(item.value);
    }
    return out;
  }
  if (typeof v !== 'object' || v instanceof JsonNumber) return undefined;
  for (const [k, value] of Object.entries(v)) if (text(value) !== '') out[k] = text(value);
  return out;
}

function creditsOf(v: JsonValue | undefined, column: string): GcpCredit[] | undefined {
  if (v === undefined || v === null || v === '') return [];
  if (!Array.isArray(v)) return undefined;
  const out: GcpCredit[] = [];
  for (const [i, c] of v.entries()) {
    if (c === null || typeof c !== 'object' || Array.isArray(c) || c instanceof JsonNumber) return undefined;
    out.push({ name: text(c.name) || text(c.full_name), type: text(c.type), id: text(c.id), amount: text(c.amount), column: `${column}[${i}].amount` });
  }
  return out;
}

/** How a JSON value looked, for messages. */
function raw(v: JsonValue | undefined): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof JsonNumber ? x.text : x)) ?? '';
}

interface Parsed<T> {
  value: T | undefined;
  /** The value as the file had it, for the message when `value` is undefined. */
  text: string;
}

function build(get: (f: Field) => string, labels: Parsed<Record<string, string>>, credits: Parsed<GcpCredit[]>, col: (f: Field) => string): RowResult {
  if (!labels.value) return { column: col('labels'), message: `expected an array of {key, value}, got ${shown(labels.text)}` };
  if (!credits.value) return { column: col('credits'), message: `expected an array of {name, amount, type}, got ${shown(credits.text)}` };
  return {
    row: {
      billingAccount: get('billingAccount'), serviceId: get('serviceId'), service: get('service'), skuId: get('skuId'), sku: get('sku'),
      start: get('start'), end: get('end'), project: get('project'), labels: labels.value, location: get('location') || get('locationName'),
      cost: get('cost'), currency: get('currency'), conversionRate: get('conversionRate'), usageAmount: get('usageAmount'), usageUnit: get('usageUnit'), credits: credits.value,
      invoiceMonth: get('invoiceMonth'), costType: get('costType'), exportTime: get('exportTime'),
    },
  };
}

/** A row of a BigQuery JSON export (one object). */
export function rowFromJson(obj: { [key: string]: JsonValue }): RowResult {
  const at = (path: string): JsonValue | undefined => {
    if (path in obj) return obj[path];
    let v: JsonValue | undefined = obj;
    for (const part of path.split('.')) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) return undefined;
      v = v[part];
    }
    return v;
  };
  const labels = at('labels');
  const credits = at('credits');
  return build(
    (f) => text(at(GCP_FIELDS[f])),
    { value: labelsOf(labels), text: raw(labels) },
    { value: creditsOf(credits, 'credits'), text: raw(credits) },
    (f) => GCP_FIELDS[f],
  );
}

/** Why a JSON object is not a billing-export row, or undefined when it is. */
export function jsonRowProblem(obj: { [key: string]: JsonValue }): string | undefined {
  const r = rowFromJson(obj);
  if ('row' in r && r.row.sku !== '' && r.row.start !== '' && obj.cost !== undefined) return undefined;
  return 'expected a billing export row with "sku.description", "usage_start_time" and "cost"';
}

/** A CSV header lookup for the export's fields: "service.description", "service_description". */
export function gcpCsvColumns(header: readonly string[]): (f: Field) => string | undefined {
  const find = columnFinder(header);
  return (f) => find([GCP_FIELDS[f], GCP_FIELDS[f].replace(/\./g, '_')]);
}

export function gcpHeaderProblem(header: readonly string[]): HeaderProblem | undefined {
  const cols = gcpCsvColumns(header);
  for (const f of REQUIRED) {
    if (cols(f) === undefined) return { column: GCP_FIELDS[f], message: `expected a "${GCP_FIELDS[f]}" column, got none: not a Cloud Billing export` };
  }
  return undefined;
}

/**
 * A CSV (a query's result) without the usage columns every export row has: each AI SKU's
 * token count would be read as none, its money kept and its tokens lost without a word.
 * Asked when the file is read, not by detect: such a file is still this source's.
 */
export function gcpUsageProblem(header: readonly string[]): HeaderProblem | undefined {
  const cols = gcpCsvColumns(header);
  const missing = (['usageAmount', 'usageUnit'] as const).find((f) => cols(f) === undefined);
  if (missing === undefined) return undefined;
  const name = GCP_FIELDS[missing];
  return { column: name, message: `expected a "${name}" column (or "${name.replace('.', '_')}"), got none: every export row has it, and without it no SKU's tokens are counted` };
}

/** A row of a flattened CSV export; `labels` and `credits` cells hold JSON. */
export function rowFromCsv(record: Record<string, string>, cols: (f: Field) => string | undefined): RowResult {
  const get = (f: Field) => {
    const c = cols(f);
    return c === undefined ? '' : (record[c] ?? '').trim();
  };
  const json = (f: Field): JsonValue | undefined => {
    const t = get(f);
    if (t === '') return undefined;
    try {
      return parseExactJson(t);
    } catch {
      return false; // not JSON: neither labels nor credits, so build() reports the column
    }
  };
  const col = (f: Field) => cols(f) ?? GCP_FIELDS[f];
  return build(get, { value: labelsOf(json('labels')), text: get('labels') }, { value: creditsOf(json('credits'), col('credits')), text: get('credits') }, col);
}
