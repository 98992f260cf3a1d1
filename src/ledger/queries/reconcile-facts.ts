/**
 * What `llmfin reconcile` compares, per provider and month: every layer's money by
 * charge category and model, and the invoices with their lines by kind. Read from the
 * rows (not the rollup): reconciliation needs the model and the cost status.
 */
import { sql } from 'kysely';
import type { ChargeCategory, CostStatus, InvoiceLineKind, Provenance } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';
import { invoiceMayMeet } from './usage-facts.js';
import { compareText } from '../../shared/compare-text.js';

export interface LayerModelSum {
  provider: string;
  month: string;
  /** The UTC day (YYYY-MM-DD), so layers can be compared on the days both cover. */
  day: string;
  provenance: Provenance;
  charge_category: ChargeCategory;
  cost_status: CostStatus;
  model: string | null;
  /** The importer the rows came from (`gcp-billing`, `llmfin`…): which bill a cloud's LLM rows are on. */
  source: string;
  rows: number;
  cost_ticks: bigint;
  estimated_cost_ticks: bigint;
  /** Server-side web searches the rows ran (priced per search inside their cost). */
  web_searches: number;
}

export interface InvoiceKindSum {
  provider: string;
  /** The month the invoice's period starts in (or it was issued in, without a period). */
  month: string;
  /** The invoice's period as recorded (ISO instants; the end is where it stops), or null. */
  period_start: string | null;
  period_end: string | null;
  /** `unitemised`: the totals of invoices recorded without lines, all of it usage. */
  kind: InvoiceLineKind | 'total' | 'unitemised';
  /** The model an invoice line names (null for totals and lines without one). */
  model: string | null;
  ticks: bigint;
  invoices: number;
  /**
   * The accounts these invoices name (`account`), sorted: a Google Cloud invoice that names
   * its billing account is that account's whole bill (reconcile.ts).
   */
  accounts: string[];
}

/** A sum's keys and money over usage_entries rows, in LayerModelSum's names. */
const LAYER_SUM = sql.raw(`provider, substr(ts, 1, 7) as month, substr(ts, 1, 10) as day, provenance, charge_category, cost_status,
      coalesce(matched_model, model) as model, source, count(*) as rows, coalesce(sum(cost_ticks), 0) as cost_ticks,
      coalesce(sum(estimated_cost_ticks), 0) as estimated_cost_ticks, coalesce(sum(web_search_requests), 0) as web_searches`);

const inRange = (range: { since?: string; until?: string }) =>
  sql`${range.since !== undefined ? sql`and ts >= ${range.since}` : sql``} ${range.until !== undefined ? sql`and ts < ${range.until}` : sql``}`;

function layerSumOf(x: Record<string, unknown>): LayerModelSum {
  return {
    provider: String(x.provider),
    month: String(x.month),
    day: String(x.day),
    provenance: x.provenance as Provenance,
    charge_category: x.charge_category as ChargeCategory,
    cost_status: x.cost_status as CostStatus,
    model: x.model === null ? null : String(x.model),
    source: String(x.source),
    rows: Number(x.rows),
    cost_ticks: BigInt(x.cost_ticks as bigint),
    estimated_cost_ticks: BigInt(x.estimated_cost_ticks as bigint),
    web_searches: Number(x.web_searches),
  };
}

export async function layerModelSums(ledger: LedgerStore, range: { since?: string; until?: string }): Promise<LayerModelSum[]> {
  const r = await sql<Record<string, unknown>>`select ${LAYER_SUM} from usage_entries where 1 = 1 ${inRange(range)} group by 1, 2, 3, 4, 5, 6, 7, 8`.execute(ledger.db);
  return r.rows.map(layerSumOf);
}

/** A row whose span `[ts, ts_end)` is longer than a day (a monthly bill line), as a sum of its own. */
export interface SpanningSum extends LayerModelSum {
  ts_end: string;
}

/**
 * The rows of `range` whose span is longer than a day, one sum each on its first day: what
 * a reconcile row of an invoice's days shares with the month's other days (few: monthly lines).
 */
export async function spanningSums(ledger: LedgerStore, range: { since?: string; until?: string }): Promise<SpanningSum[]> {
  // One group a row: its sums are the row's own values.
  const r = await sql<Record<string, unknown>>`select ${LAYER_SUM}, ts_end from usage_entries
    where granularity <> 'request' and ts_end is not null and julianday(ts_end) - julianday(ts) > 1 ${inRange(range)}
    group by id`.execute(ledger.db);
  return r.rows.map((x) => ({ ...layerSumOf(x), ts_end: String(x.ts_end) }));
}

/**
 * USD invoice totals and line sums by kind, per provider and invoice period, for the
 * invoices that may cover a day of `range`: those starting before its end and not ending
 * before its month (the caller keeps those whose days meet it). An invoice in another
 * currency cannot be added to USD: see `foreignInvoices`.
 */
export async function invoiceKindSums(ledger: LedgerStore, range: { since?: string; until?: string }): Promise<InvoiceKindSum[]> {
  const month = sql`substr(coalesce(i.period_start, i.issued_at), 1, 7)`;
  // A JSON array of the distinct accounts named (a null for invoices that name none).
  const accounts = sql`json_group_array(distinct nullif(trim(i.account), ''))`;
  const within = sql`${invoiceMayMeet(range)} and upper(i.currency) = 'USD'`;
  const lines = await sql<Record<string, unknown>>`select i.provider as provider, ${month} as month, i.period_start as period_start, i.period_end as period_end,
      l.kind as kind, l.model as model, sum(l.amount_ticks) as ticks, count(distinct i.id) as invoices, ${accounts} as accounts
    from invoices i join invoice_lines l on l.invoice_id = i.id where ${within} group by 1, 2, 3, 4, 5, 6`.execute(ledger.db);
  const totals = await sql<Record<string, unknown>>`select i.provider as provider, ${month} as month, i.period_start as period_start, i.period_end as period_end,
      'total' as kind, sum(i.total_ticks) as ticks, count(*) as invoices, ${accounts} as accounts
    from invoices i where ${within} group by 1, 2, 3, 4`.execute(ledger.db);
  const unitemised = await sql<Record<string, unknown>>`select i.provider as provider, ${month} as month, i.period_start as period_start, i.period_end as period_end,
      'unitemised' as kind, sum(i.total_ticks) as ticks, count(*) as invoices, ${accounts} as accounts
    from invoices i where ${within} and not exists (select 1 from invoice_lines l where l.invoice_id = i.id) group by 1, 2, 3, 4`.execute(ledger.db);
  return [...lines.rows, ...totals.rows, ...unitemised.rows].map((x) => ({
    provider: String(x.provider),
    month: String(x.month),
    period_start: x.period_start === null || x.period_start === undefined ? null : String(x.period_start),
    period_end: x.period_end === null || x.period_end === undefined ? null : String(x.period_end),
    kind: x.kind as InvoiceKindSum['kind'],
    model: x.model === null || x.model === undefined ? null : String(x.model),
    ticks: BigInt(x.ticks as bigint),
    invoices: Number(x.invoices),
    accounts: (JSON.parse(String(x.accounts)) as (string | null)[]).filter((a): a is string => a !== null).sort(compareText),
  }));
}
