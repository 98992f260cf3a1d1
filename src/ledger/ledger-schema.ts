/**
 * The ledger's tables as Kysely types: the single description of what a row holds,
 * shared by the migrations' readers, the query helpers and the importers that build
 * rows. Money is an exact decimal string (`*_usd`) beside integer ticks (`*_ticks`,
 * 1 tick = 1e-10 USD) that SQL can sum; `*_ticks` columns read back as `bigint`
 * (see sqlite/exact-integer-database.ts).
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Where a row's numbers come from, most authoritative first (PRODUCT.md, Ledger). */
export const PROVENANCES = ['billed', 'provider_usage', 'metered'] as const;
export type Provenance = (typeof PROVENANCES)[number];

/** How a row's cost was obtained: priced by llmfin, billed by the provider, unknown, or estimated. */
export const COST_STATUSES = ['priced', 'billed', 'unpriced', 'estimated'] as const;
export type CostStatus = (typeof COST_STATUSES)[number];

/** What one row covers: a single request, or an aggregate over an hour, day or month. */
export const GRANULARITIES = ['request', 'hour', 'day', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/**
 * The granularities of a row that covers whole days (a provider's daily bucket, a day or
 * month of a cost export): stamped at its UTC day's midnight, it is money of a date, not of
 * an instant, and a budget in a time zone counts it on that date, as it does a bill's day
 * (budgets/budget-period.ts `countedAt`, queries/usage-facts.ts `dayStart`).
 */
export const WHOLE_DAY_GRANULARITIES = ['day', 'month'] as const satisfies readonly Granularity[];

/** What a billed row is: only `usage` is LLM spend; the others keep billed totals reconcilable. */
export const CHARGE_CATEGORIES = ['usage', 'tax', 'support', 'credit', 'fee', 'non_llm', 'unclassified'] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** What an invoice line is. */
export const INVOICE_LINE_KINDS = ['usage', 'credit', 'tax', 'fee', 'other'] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

/** A row's token counts, each an integer column (the taxonomy of pricing/token-usage.ts). */
export const TOKEN_COUNT_COLUMNS = [
  'input_tokens', 'uncached_input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'input_audio_tokens',
  'input_image_tokens', 'output_tokens', 'reasoning_tokens', 'output_audio_tokens', 'output_image_tokens',
] as const;

/** Exact integer ticks: written as bigint or a safe number, always read as bigint. */
type Ticks = ColumnType<bigint, bigint | number, bigint | number>;
type NullableTicks = ColumnType<bigint | null, bigint | number | null | undefined, bigint | number | null>;

/** Key/value facts about the ledger file itself (`schema_version`, `created_by`, `created_at`). */
export interface MetaTable {
  key: string;
  value: string;
}

/** One `llmfin import` (or proxy flush): what was read and what it did to the ledger. */
export interface ImportBatchTable {
  id: Generated<number>;
  /** Importer id (`openai-usage-csv`, `llmfin`, `proxy`). */
  source: string;
  file_name: string | null;
  /** sha256 hex of the file's bytes: the same file imported twice is recognised. */
  file_hash: string | null;
  file_size: number | null;
  account: string | null;
  period_start: string | null;
  period_end: string | null;
  rows_read: Generated<number>;
  rows_imported: Generated<number>;
  rows_skipped: Generated<number>;
  rows_replaced: Generated<number>;
  status: Generated<string>;
  imported_at: string;
  llmfin_version: string | null;
  catalogue_version: string | null;
  /** JSON `[{provider, number, batch_id}]`: the invoices this batch's corrected versions replaced (deleted with their batch's undo). */
  invoices_replaced: string | null;
}

/**
 * The fact table: one row per request or per aggregated export row. Token columns
 * follow one taxonomy whatever the source's convention: `input_tokens` is every input
 * token (its parts are uncached, cache read, cache writes, audio and image in) and
 * `output_tokens` every output token (`reasoning_tokens` is a part of it).
 */
export interface UsageEntryTable {
  id: Generated<number>;
  batch_id: number | null;
  provenance: Provenance;
  /** Importer id; with `dedupe_key` it identifies a row across re-imports. */
  source: string;
  dedupe_key: string;
  provider: string;
  account: string | null;
  /** The model as reported or served. */
  model: string | null;
  model_requested: string | null;
  /** The catalogue id the price came from. */
  matched_model: string | null;
  offering: string | null;
  /** ISO 8601 UTC start, in `Date#toISOString()` form so that text order is time order. */
  ts: string;
  ts_end: string | null;
  granularity: Generated<Granularity>;
  requests: Generated<number>;
  input_tokens: Generated<number>;
  uncached_input_tokens: Generated<number>;
  cache_read_tokens: Generated<number>;
  cache_write_5m_tokens: Generated<number>;
  cache_write_1h_tokens: Generated<number>;
  input_audio_tokens: Generated<number>;
  input_image_tokens: Generated<number>;
  output_tokens: Generated<number>;
  reasoning_tokens: Generated<number>;
  output_audio_tokens: Generated<number>;
  output_image_tokens: Generated<number>;
  /** Server-side web searches, billed per search on top of the tokens. */
  web_search_requests: Generated<number>;
  service_tier: string | null;
  region: string | null;
  /** JSON of the numbers as the source reported them, and its convention, for re-pricing. */
  raw_usage: string | null;
  /** Exact decimal USD; null when unpriced. */
  cost_usd: string | null;
  cost_ticks: NullableTicks;
  cost_status: CostStatus;
  /** What the provider said it cost, kept beside ours for reconciliation. */
  reported_cost_usd: string | null;
  /** The catalogue price period used, e.g. `openai/gpt-4o/default/2024-08-06`. */
  price_ref: string | null;
  catalogue_version: string | null;
  currency: Generated<string>;
  /** Billing line or usage type, or why the row is unpriced. */
  description: string | null;
  team: string | null;
  feature: string | null;
  customer: string | null;
  agent: string | null;
  project: string | null;
  environment: string | null;
  api_key: string | null;
  workspace: string | null;
  user: string | null;
  trace_id: string | null;
  /** JSON object of custom tag key → value. */
  tags: string | null;
  request_id: string | null;
  created_at: string;
  /** On billed rows: llmfin's catalogue price for the same usage, for reconciliation. */
  estimated_cost_usd: string | null;
  estimated_cost_ticks: NullableTicks;
  /** What kind of charge: LLM spend counts `usage` only; the rest keeps billed totals whole. */
  charge_category: Generated<ChargeCategory>;
  /** Proxy rows: ms from request received to last byte sent; null elsewhere. */
  latency_ms: number | null;
  /** Proxy rows: ms from request received to the upstream's first body byte. */
  ttfb_ms: number | null;
  /** Proxy rows: the upstream's HTTP status (502/504 when it gave none). */
  status_code: number | null;
  /** Proxy rows: sha256 hex of the prompt text. */
  prompt_hash: string | null;
}

export interface InvoiceTable {
  id: Generated<number>;
  batch_id: number | null;
  provider: string;
  account: string | null;
  number: string;
  issued_at: string | null;
  period_start: string | null;
  period_end: string | null;
  currency: Generated<string>;
  subtotal_usd: string | null;
  credits_usd: string | null;
  tax_usd: string | null;
  total_usd: string;
  total_ticks: Ticks;
}

export interface InvoiceLineTable {
  id: Generated<number>;
  invoice_id: number;
  line_no: number;
  description: string | null;
  kind: InvoiceLineKind;
  model: string | null;
  amount_usd: string;
  amount_ticks: Ticks;
  quantity: string | null;
  unit: string | null;
}

/**
 * The identifiers a daily rollup row is keyed by (besides day, layer and charge
 * category): what attribution rules match on, minus per-request identifiers (customer,
 * user, trace), which would make the rollup as large as the ledger, and the catalogue
 * model a row was priced as, which a budget on a model counts by (budgets/budget-scope.ts;
 * one per recorded model, so it adds no rollup rows to speak of). '' means missing.
 */
/** The meta key holding the highest row id the rollup has taken in (refresh-rollups.ts; a read-only reader adds the rows above it: usage-facts.ts). */
export const ROLLUP_WATERMARK_KEY = 'rollup_watermark';
export const ROLLUP_KEY_COLUMNS = ['provider', 'source', 'account', 'model', 'project', 'api_key', 'workspace', 'team', 'feature', 'agent', 'environment', 'tags', 'matched_model'] as const;
export type RollupKeyColumn = (typeof ROLLUP_KEY_COLUMNS)[number];

/** Sums of usage_entries per UTC day, layer, charge category and identifiers (see the rollups migration). */
export type RollupDailyTable = { day: string; provenance: Provenance; charge_category: ChargeCategory } & Record<RollupKeyColumn, string> & {
    rows: number;
    requests: number;
    input_tokens: number;
    uncached_input_tokens: number;
    cache_read_tokens: number;
    cache_write_tokens: number;
    output_tokens: number;
    reasoning_tokens: number;
    cost_ticks: Ticks;
    estimated_cost_ticks: Ticks;
    unpriced_rows: number;
    /** The cost of the rows that count their requests (requests > 0). */
    counted_cost_ticks: Ticks;
    /** The cost of the rows that count their tokens (input_tokens + output_tokens > 0). */
    tokened_cost_ticks: Ticks;
    /** The requests of the rows without a price (cost_status 'unpriced'). */
    unpriced_requests: number;
    /** The input + output tokens of the rows without a price. */
    unpriced_tokens: number;
    /** The proxy's attempts that failed before the model ran (error status, no token), not in `requests`. */
    failed_attempts: number;
  };

/** Days whose rollup rows must be recomputed because ledger rows of that day were deleted. */
export interface RollupDirtyDaysTable {
  day: string;
}

/** What a routed request's answer turned out to be (`llmfin route feedback`). */
export const ROUTE_OUTCOMES = ['good', 'bad', 'escalated'] as const;
export type RouteOutcome = (typeof ROUTE_OUTCOMES)[number];

/** Explicit outcomes of routed requests, by the request id the proxy returned (`x-llmfin-request-id`). */
export interface RouteFeedbackTable {
  id: Generated<number>;
  request_id: string;
  outcome: RouteOutcome;
  note: string | null;
  created_at: string;
}

/** The whole ledger, as Kysely sees it. */
export interface LedgerDatabase {
  meta: MetaTable;
  import_batches: ImportBatchTable;
  usage_entries: UsageEntryTable;
  invoices: InvoiceTable;
  invoice_lines: InvoiceLineTable;
  rollup_daily: RollupDailyTable;
  rollup_dirty_days: RollupDirtyDaysTable;
  route_feedback: RouteFeedbackTable;
}

export type MetaRow = Selectable<MetaTable>;
export type ImportBatch = Selectable<ImportBatchTable>;
export type NewImportBatch = Insertable<ImportBatchTable>;
export type UsageEntry = Selectable<UsageEntryTable>;
/** A row as an importer builds it; `recordImport` assigns the batch. */
export type NewUsageEntry = Omit<Insertable<UsageEntryTable>, 'id' | 'batch_id'>;
export type Invoice = Selectable<InvoiceTable>;
export type NewInvoice = Insertable<InvoiceTable>;
export type InvoiceLine = Selectable<InvoiceLineTable>;
export type NewInvoiceLine = Insertable<InvoiceLineTable>;

/**
 * Dimensions a report can group or filter by, in the order `--help` lists them.
 * Time buckets (day, week, month) are not columns and are not listed here.
 */
export const DIMENSIONS = [
  'provider',
  'model',
  'team',
  'feature',
  'customer',
  'agent',
  'project',
  'environment',
  'api_key',
  'workspace',
  'user',
  'trace',
  'source',
  'account',
] as const;
export type DimensionName = (typeof DIMENSIONS)[number];

/**
 * The attribution columns: the dimensions that say whom a row's spend is for, as recorded
 * (not what was bought, where it was recorded, or its trace). The FOCUS export writes them
 * to Tags in this order, and its importer reads them back to their columns by these names.
 */
export const ATTRIBUTION_COLUMNS = ['team', 'feature', 'customer', 'agent', 'project', 'environment', 'api_key', 'workspace', 'user'] as const satisfies readonly DimensionName[];
export type AttributionColumn = (typeof ATTRIBUTION_COLUMNS)[number];

/** The `usage_entries` column behind each dimension; the only way a dimension reaches SQL. */
export const DIMENSION_COLUMNS = {
  provider: 'provider',
  model: 'model',
  team: 'team',
  feature: 'feature',
  customer: 'customer',
  agent: 'agent',
  project: 'project',
  environment: 'environment',
  api_key: 'api_key',
  workspace: 'workspace',
  user: 'user',
  trace: 'trace_id',
  source: 'source',
  account: 'account',
} as const satisfies Record<DimensionName, keyof UsageEntryTable>;

/** Every identifier a row carries, by the name attribution and reports use: the dimensions plus `tags`. */
export const IDENTIFIER_COLUMNS = { ...DIMENSION_COLUMNS, tags: 'tags' } as const satisfies Record<string, keyof UsageEntryTable>;

/** True when `name` is one of `DIMENSIONS` (case-sensitive). */
export function isDimensionName(name: string): name is DimensionName {
  return Object.hasOwn(DIMENSION_COLUMNS, name);
}
