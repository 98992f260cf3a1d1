/**
 * llmfin's own FOCUS export (`llmfin export --format focus`) read back as the ledger rows
 * it was written from. Its x_llmfin_* columns carry what FOCUS has no column for (source
 * and dedupe key, provenance, cost status, every token class), so each row is restored
 * as the JSONL export's ledger rows are (ledger-entry.ts): same identity, same money, not
 * priced again. The columns read, inverse to src/export/focus-row.ts:
 *
 *   ChargePeriodStart → ts; ChargePeriodEnd → ts_end, except on a request row (the export
 *     writes its start there: a request is an instant)
 *   ProviderName → provider; BillingAccountId → account, except when it is the provider
 *     (the export writes the provider for a row without an account)
 *   BilledCost → cost_usd, except on an unpriced row, whose 0 is "unknown", not free
 *   BillingCurrency (USD), RegionId → region, SkuPriceId → price_ref
 *   ChargeDescription → description, except the text the export makes up for a row
 *     without one ("<provider> <model> usage", "<provider> <charge category>")
 *   Tags → the attribution columns (team, feature, customer, agent, project, environment,
 *     api_key, workspace, user); other keys are the custom tags (a custom tag of a
 *     dimension's name, kept by some sources beside that column, comes back as the column)
 *   x_llmfin_* → their ledger columns (SkuId is the model when x_llmfin_model is absent)
 *
 *   SkuPriceId → also the offering, which the price reference names
 *
 * Lost on the way, as FOCUS has no place for them: raw usage, catalogue version,
 * the proxy's latency and prompt hash (its status comes back from x_llmfin_status_code,
 * so an attempt the upstream refused stays out of the requests); a day or hour row's ts_end, when the ledger
 * had none, comes back as the end its granularity gives (the same span to every report).
 */
import { z } from 'zod';
import { ATTRIBUTION_COLUMNS, CHARGE_CATEGORIES, COST_STATUSES, GRANULARITIES, PROVENANCES, type AttributionColumn } from '../../ledger/ledger-schema.js';
import { SERVICE_TIERS } from '../../pricing/catalogue-schema.js';
import { LONG_CONTEXT_REF } from '../../pricing/pricer.js';
import { unguardFormulaCells } from '../../shared/formula-cell.js';
import type { ImportContext, ImportItem } from '../importer.js';
import { csvRowBatchesOrError, type SourceInput } from '../source-input.js';
import { ledgerEntry } from './ledger-entry.js';
import { isValidUtcInstant } from './llmfin-csv-row.js';
import type { LlmfinRow } from './llmfin-row-schema.js';

/** The columns that tell llmfin's FOCUS export from another FOCUS file: a row's identity in the ledger. */
export const FOCUS_EXPORT_MARKERS = ['x_llmfin_source', 'x_llmfin_dedupe_key'] as const;

/** Columns a row cannot be restored without. */
const REQUIRED = ['ChargePeriodStart', 'ProviderName', 'BilledCost', 'x_llmfin_source', 'x_llmfin_dedupe_key', 'x_llmfin_provenance', 'x_llmfin_cost_status'] as const;

const OPTIONAL = [
  'ChargePeriodEnd', 'BillingAccountId', 'BillingCurrency', 'ChargeDescription', 'RegionId', 'SkuId', 'SkuPriceId', 'Tags',
  'x_llmfin_estimated_cost', 'x_llmfin_reported_cost', 'x_llmfin_charge_category', 'x_llmfin_granularity', 'x_llmfin_requests',
  'x_llmfin_input_tokens', 'x_llmfin_uncached_input_tokens', 'x_llmfin_cache_read_tokens', 'x_llmfin_cache_write_5m_tokens',
  'x_llmfin_cache_write_1h_tokens', 'x_llmfin_input_audio_tokens', 'x_llmfin_input_image_tokens', 'x_llmfin_output_tokens',
  'x_llmfin_reasoning_tokens', 'x_llmfin_output_audio_tokens', 'x_llmfin_output_image_tokens', 'x_llmfin_web_search_requests',
  'x_llmfin_service_tier', 'x_llmfin_model', 'x_llmfin_model_requested', 'x_llmfin_matched_model', 'x_llmfin_trace_id', 'x_llmfin_request_id',
  'x_llmfin_status_code',
] as const;

type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
/** Each column's cell index, -1 when the file has no such column. */
export type FocusExportLayout = Record<Column, number>;

/** Whether a header (its cells, any case) is that of llmfin's FOCUS export. */
export function isFocusExportHeader(columns: readonly string[]): boolean {
  const names = new Set(columns.map((c) => c.trim().toLowerCase()));
  return names.has('chargeperiodstart') && FOCUS_EXPORT_MARKERS.every((m) => names.has(m));
}

/** The header's layout, or the first required column it lacks. Names match in any case; a repeated name's first cell is read. */
export function focusExportLayout(header: readonly string[]): { layout: FocusExportLayout } | { missing: string } {
  const indexOf = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (!indexOf.has(key)) indexOf.set(key, i);
  });
  const layout = {} as FocusExportLayout;
  for (const column of [...REQUIRED, ...OPTIONAL]) layout[column] = indexOf.get(column.toLowerCase()) ?? -1;
  const missing = REQUIRED.find((column) => layout[column] < 0);
  return missing === undefined ? { layout } : { missing };
}

/** A row that cannot be restored: the column and what was wrong with its cell. */
export class FocusCellError {
  readonly column: Column;
  readonly message: string;
  constructor(column: Column, message: string) {
    this.column = column;
    this.message = message;
  }
}

function got(value: string): string {
  if (value === '') return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const ISO_WITH_OFFSET = z.iso.datetime({ offset: true });
const MONEY = /^-?\d+(\.\d+)?$/;
const COUNT = /^\d{1,15}$/;

const ENUMS = {
  x_llmfin_provenance: new Set<string>(PROVENANCES),
  x_llmfin_cost_status: new Set<string>(COST_STATUSES),
  x_llmfin_charge_category: new Set<string>(CHARGE_CATEGORIES),
  x_llmfin_granularity: new Set<string>(GRANULARITIES),
  x_llmfin_service_tier: new Set<string>(SERVICE_TIERS),
} as const;

/** One row's cells, read by column with the checks each column needs. */
class Cells {
  private readonly layout: FocusExportLayout;
  private readonly cells: readonly string[];
  constructor(layout: FocusExportLayout, cells: readonly string[]) {
    this.layout = layout;
    this.cells = cells;
  }

  text(column: Column): string {
    const i = this.layout[column];
    return i >= 0 && i < this.cells.length ? this.cells[i]! : '';
  }

  /** A text, undefined when empty (the ledger stores no empty texts). */
  optional(column: Column): string | undefined {
    const value = this.text(column);
    return value === '' ? undefined : value;
  }

  required(column: Column): string {
    const value = this.text(column);
    if (value === '') throw new FocusCellError(column, 'expected a non-empty text, got nothing');
    return value;
  }

  instant(column: Column): string | undefined {
    const value = this.text(column);
    if (value === '') return undefined;
    if (isValidUtcInstant(value) || (ISO_WITH_OFFSET.safeParse(value).success && !Number.isNaN(Date.parse(value)))) return value;
    throw new FocusCellError(column, `expected an ISO 8601 time with a zone, such as 2026-10-01T12:00:00Z, got ${got(value)}`);
  }

  money(column: Column): string | undefined {
    const value = this.text(column);
    if (value === '') return undefined;
    if (MONEY.test(value)) return value;
    throw new FocusCellError(column, `expected a decimal amount in USD such as 12.5 ("." for decimals, no thousands separators), got ${got(value)}`);
  }

  count(column: Column): number | undefined {
    const value = this.text(column);
    if (value === '') return undefined;
    if (COUNT.test(value)) return Number(value);
    throw new FocusCellError(column, `expected a whole number >= 0, got ${got(value)}`);
  }

  /** One of the column's values: `absent` when the file has no such column; an empty cell is refused unless `optional`. */
  oneOf<C extends keyof typeof ENUMS>(column: C, options: { absent?: string; optional?: boolean } = {}): string | undefined {
    if (this.layout[column] < 0 && options.absent !== undefined) return options.absent;
    const value = this.text(column);
    if (value === '' && options.optional === true) return undefined;
    if (ENUMS[column].has(value)) return value;
    throw new FocusCellError(column, `expected one of ${[...ENUMS[column]].join(', ')}, got ${got(value)}`);
  }

  tags(): Record<string, string> | undefined {
    const value = this.text('Tags');
    if (value === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    const ok =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.entries(parsed).every(([k, v]) => typeof v === 'string' && k !== '__proto__');
    if (!ok) throw new FocusCellError('Tags', `expected a JSON object of text values, such as {"team": "search"}, got ${got(value)}`);
    return parsed as Record<string, string>;
  }
}

/**
 * The catalogue offering a row was priced under, which its price reference names
 * (`provider/model/offering/period`, the model may hold slashes, a long-context line ends
 * `#long-context`; pricer.ts writes both from the same price), or null.
 */
function offeringOf(priceRef: string | undefined): string | null {
  if (priceRef === undefined) return null;
  const parts = (priceRef.endsWith(LONG_CONTEXT_REF) ? priceRef.slice(0, -LONG_CONTEXT_REF.length) : priceRef).split('/');
  return parts.length >= 4 ? parts[parts.length - 2]! : null;
}

/**
 * The ledger row a line of the export was written from, as an llmfin ledger row (one with
 * `cost_status`, which ledger-entry.ts restores as written). Throws FocusCellError.
 */
export function focusExportRow(layout: FocusExportLayout, cells: readonly string[]): LlmfinRow {
  const c = new Cells(layout, cells);
  const ts = c.instant('ChargePeriodStart');
  if (ts === undefined) throw new FocusCellError('ChargePeriodStart', 'expected an ISO 8601 time with a zone, such as 2026-10-01T12:00:00Z, got nothing');
  const provider = c.required('ProviderName');
  const provenance = c.oneOf('x_llmfin_provenance') as LlmfinRow['provenance'];
  const costStatus = c.oneOf('x_llmfin_cost_status') as NonNullable<LlmfinRow['cost_status']>;
  const chargeCategory = c.oneOf('x_llmfin_charge_category', { absent: 'usage' }) as NonNullable<LlmfinRow['charge_category']>;
  const granularity = c.oneOf('x_llmfin_granularity', { absent: 'request' }) as LlmfinRow['granularity'];
  const billed = c.money('BilledCost');
  if (billed === undefined) throw new FocusCellError('BilledCost', 'expected a decimal amount in USD such as 12.5, got nothing');
  const currency = c.text('BillingCurrency');
  if (currency !== '' && !/^usd$/i.test(currency)) {
    throw new FocusCellError('BillingCurrency', `expected USD (llmfin's export writes US dollars), got ${got(currency)}`);
  }

  // A request is an instant: the export writes its start as its end. Other rows' end is their span's.
  const end = c.instant('ChargePeriodEnd');
  const tsEnd = end === undefined || (granularity === 'request' && Date.parse(end) === Date.parse(ts)) ? null : end;
  // The export writes the provider as the billing account of a row without an account.
  const billingAccount = c.optional('BillingAccountId');
  const account = billingAccount === provider ? undefined : billingAccount;
  const model = layout.x_llmfin_model >= 0 ? c.optional('x_llmfin_model') : c.optional('SkuId');
  // The export makes a description up for a row without one; that one is not the row's.
  const written = c.optional('ChargeDescription');
  const madeUp = model === undefined ? `${provider} ${chargeCategory}` : `${provider} ${model} usage`;
  const description = written === madeUp ? undefined : written;
  // An unpriced row's cost is unknown: the export writes 0 for it, which is not $0 here.
  const cost = costStatus === 'unpriced' && Number(billed) === 0 ? null : billed;

  const priceRef = c.optional('SkuPriceId');

  const row: LlmfinRow = {
    id: c.required('x_llmfin_dedupe_key'),
    source: c.required('x_llmfin_source'),
    ts,
    ts_end: tsEnd,
    granularity,
    provenance,
    provider,
    model: model ?? null,
    model_requested: c.optional('x_llmfin_model_requested'),
    matched_model: c.optional('x_llmfin_matched_model'),
    account,
    requests: c.count('x_llmfin_requests'),
    input_tokens: c.count('x_llmfin_input_tokens') ?? 0,
    uncached_input_tokens: c.count('x_llmfin_uncached_input_tokens'),
    cache_read_tokens: c.count('x_llmfin_cache_read_tokens') ?? 0,
    cache_write_5m_tokens: c.count('x_llmfin_cache_write_5m_tokens') ?? 0,
    cache_write_1h_tokens: c.count('x_llmfin_cache_write_1h_tokens') ?? 0,
    input_audio_tokens: c.count('x_llmfin_input_audio_tokens'),
    input_image_tokens: c.count('x_llmfin_input_image_tokens'),
    output_tokens: c.count('x_llmfin_output_tokens') ?? 0,
    reasoning_tokens: c.count('x_llmfin_reasoning_tokens') ?? 0,
    output_audio_tokens: c.count('x_llmfin_output_audio_tokens'),
    output_image_tokens: c.count('x_llmfin_output_image_tokens'),
    web_search_requests: c.count('x_llmfin_web_search_requests') ?? 0,
    service_tier: c.oneOf('x_llmfin_service_tier', { optional: true }) as LlmfinRow['service_tier'],
    region: c.optional('RegionId'),
    cost_usd: cost,
    cost_status: costStatus,
    estimated_cost_usd: c.money('x_llmfin_estimated_cost') ?? null,
    reported_cost_usd: c.money('x_llmfin_reported_cost') ?? null,
    price_ref: priceRef ?? null,
    offering: offeringOf(priceRef),
    charge_category: chargeCategory,
    currency: 'USD',
    description: description ?? null,
    trace_id: c.optional('x_llmfin_trace_id'),
    request_id: c.optional('x_llmfin_request_id'),
    status_code: c.count('x_llmfin_status_code') ?? null,
  };
  const tags = c.tags();
  if (tags !== undefined) {
    const custom: Record<string, string> = {};
    for (const [key, value] of Object.entries(tags)) {
      // The attribution columns the export put in Tags, each restored to its column.
      if ((ATTRIBUTION_COLUMNS as readonly string[]).includes(key)) {
        if (value !== '') row[key as AttributionColumn] = value;
      } else custom[key] = value;
    }
    row.tags = custom;
  }
  return row;
}

/**
 * The export's rows as entries, or the issue of a row that cannot be restored, at its
 * line and column. The header is the file's first CSV row.
 */
export async function* readFocusExport(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem> {
  let layout: FocusExportLayout | undefined;
  let lastLine = 1;
  for await (const batch of csvRowBatchesOrError(input)) {
    if ('error' in batch) {
      yield { kind: 'issue', line: batch.line ?? lastLine + 1, message: `expected CSV, got unreadable data (${batch.error})` };
      return;
    }
    for (const { line, cells: written } of batch) {
      lastLine = line;
      // `llmfin export` writes a text a spreadsheet would run as a formula with a ' in front.
      const cells = unguardFormulaCells(written);
      if (layout === undefined) {
        const read = focusExportLayout(cells);
        if ('missing' in read) {
          yield { kind: 'issue', line, column: read.missing, message: `expected llmfin's FOCUS export with a "${read.missing}" column, got none` };
          return;
        }
        layout = read.layout;
        continue;
      }
      try {
        yield { kind: 'entry', line, entry: ledgerEntry(focusExportRow(layout, cells), '', ctx) };
      } catch (error) {
        if (!(error instanceof FocusCellError)) throw error;
        yield { kind: 'issue', line, column: error.column, message: error.message };
      }
    }
  }
}
