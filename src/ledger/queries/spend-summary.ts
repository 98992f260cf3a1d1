/**
 * Spend grouped by dimensions, and whole-ledger totals. Money is summed in SQL as
 * integer ticks and turned into an exact decimal string here, so a total is exact
 * however many rows it adds. Dimension names reach SQL only through
 * `DIMENSION_COLUMNS`; user text is only ever a bound value.
 */
import { sql } from 'kysely';
import { LlmfinError } from '../../shared/errors.js';
import { ticksToUsd } from '../../shared/money.js';
import { DIMENSION_COLUMNS, PROVENANCES, isDimensionName } from '../ledger-schema.js';
import type { DimensionName, Provenance } from '../ledger-schema.js';
import { UnknownDimensionError } from '../ledger-errors.js';
import type { LedgerStore } from '../ledger-store.js';
import { COUNTED_REQUESTS } from './failed-attempt.js';
import { isoUtc } from './iso-utc.js';

/** How a missing dimension value is shown, and how a filter asks for it. */
export const UNATTRIBUTED = '(unattributed)';

export interface SpendQuery {
  /** Dimensions to group by, in column order; empty for one total row. */
  by: readonly string[];
  /** Inclusive start (ISO date or UTC time). */
  since?: string | Date;
  /** Exclusive end. */
  until?: string | Date;
  /** One layer, or several; all layers when omitted. */
  provenance?: Provenance | readonly Provenance[];
  /** Dimension → value to keep; `(unattributed)` keeps rows where it is missing. */
  where?: Readonly<Record<string, string>>;
}

export interface SpendMetrics {
  /** Exact decimal USD from the summed ticks ("1.582514"). */
  cost_usd: string;
  cost_ticks: bigint;
  /** Ledger rows summed (an aggregated export row counts once). */
  rows: number;
  /** Less the attempts that failed before the model ran (failed-attempt.ts), as report counts them. */
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  /** 5-minute and 1-hour cache writes together. */
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** Rows with no price: their cost is missing from `cost_usd`, never counted as $0. */
  unpriced_rows: number;
}

/** One group: its dimension values (`(unattributed)` for missing ones) and its metrics. */
export type SpendRow = Partial<Record<DimensionName, string>> & SpendMetrics;

function checkDimension(name: string): DimensionName {
  if (!isDimensionName(name)) throw new UnknownDimensionError(name);
  return name;
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (value === null || value === undefined) return 0n;
  return BigInt(String(value));
}

function metricsOf(row: Record<string, unknown>): SpendMetrics {
  const ticks = toBigInt(row.cost_ticks);
  const count = (key: string) => Number(row[key] ?? 0);
  return {
    cost_usd: ticksToUsd(ticks).toFixed(),
    cost_ticks: ticks,
    rows: count('rows'),
    requests: count('requests'),
    input_tokens: count('input_tokens'),
    output_tokens: count('output_tokens'),
    cache_read_tokens: count('cache_read_tokens'),
    cache_write_tokens: count('cache_write_tokens'),
    reasoning_tokens: count('reasoning_tokens'),
    unpriced_rows: count('unpriced_rows'),
  };
}

/**
 * Spend per group of `query.by`, most expensive first (ties in dimension order).
 * @throws UnknownDimensionError for a name in `by` or `where` that is not a dimension.
 */
export async function spendBy(ledger: LedgerStore, query: SpendQuery): Promise<SpendRow[]> {
  const by = query.by.map(checkDimension);
  const where = Object.entries(query.where ?? {}).map(([name, value]) => [DIMENSION_COLUMNS[checkDimension(name)], value] as const);
  const provenances = query.provenance === undefined ? undefined : typeof query.provenance === 'string' ? [query.provenance] : [...query.provenance];
  for (const p of provenances ?? []) {
    if (!(PROVENANCES as readonly string[]).includes(p)) {
      throw new LlmfinError(`unknown provenance "${p}"; expected one of ${PROVENANCES.join(', ')}`);
    }
  }

  let q = ledger.db
    .selectFrom('usage_entries')
    .select([
      sql<bigint>`coalesce(sum(cost_ticks), 0)`.as('cost_ticks'),
      sql<number>`count(*)`.as('rows'),
      sql<number>`coalesce(sum(${sql.raw(COUNTED_REQUESTS)}), 0)`.as('requests'),
      sql<number>`coalesce(sum(input_tokens), 0)`.as('input_tokens'),
      sql<number>`coalesce(sum(output_tokens), 0)`.as('output_tokens'),
      sql<number>`coalesce(sum(cache_read_tokens), 0)`.as('cache_read_tokens'),
      sql<number>`coalesce(sum(cache_write_5m_tokens + cache_write_1h_tokens), 0)`.as('cache_write_tokens'),
      sql<number>`coalesce(sum(reasoning_tokens), 0)`.as('reasoning_tokens'),
      sql<number>`coalesce(sum(case when cost_status = 'unpriced' then 1 else 0 end), 0)`.as('unpriced_rows'),
    ])
    .select((eb) => by.map((name) => eb.ref(DIMENSION_COLUMNS[name]).as(name)));
  if (query.since !== undefined) q = q.where('ts', '>=', isoUtc(query.since, 'since'));
  if (query.until !== undefined) q = q.where('ts', '<', isoUtc(query.until, 'until'));
  if (provenances !== undefined) q = q.where('provenance', 'in', provenances);
  for (const [column, value] of where) {
    q = q.where((eb) => (value === UNATTRIBUTED ? eb(column, 'is', null) : eb(column, '=', value)));
  }
  for (const name of by) q = q.groupBy(DIMENSION_COLUMNS[name]);
  q = q.orderBy(sql`coalesce(sum(cost_ticks), 0)`, 'desc');
  for (const name of by) q = q.orderBy(DIMENSION_COLUMNS[name]);

  const rows = (await q.execute()) as Record<string, unknown>[];
  // Without GROUP BY an empty ledger still yields one all-zero row; report no groups instead.
  return rows
    .filter((row) => Number(row.rows) > 0)
    .map((row) => {
      const dims: Partial<Record<DimensionName, string>> = {};
      for (const name of by) dims[name] = row[name] === null || row[name] === undefined ? UNATTRIBUTED : String(row[name]);
      return { ...dims, ...metricsOf(row) };
    });
}

export interface LedgerTotals extends SpendMetrics {
  first_ts: string | null;
  last_ts: string | null;
  batches: number;
  invoices: number;
  /** Rows and money per layer; every provenance is present, zero when empty. */
  by_provenance: Record<Provenance, { rows: number; cost_usd: string; cost_ticks: bigint }>;
}

/** Everything in the ledger at a glance (for `llmfin demo`, `import` summaries and health checks). */
export async function ledgerTotals(ledger: LedgerStore): Promise<LedgerTotals> {
  const [all] = await spendBy(ledger, { by: [] });
  const span = await ledger.db
    .selectFrom('usage_entries')
    .select([sql<string | null>`min(ts)`.as('first_ts'), sql<string | null>`max(ts)`.as('last_ts')])
    .executeTakeFirst();
  const layers = (await ledger.db
    .selectFrom('usage_entries')
    .select(['provenance', sql<number>`count(*)`.as('rows'), sql<bigint>`coalesce(sum(cost_ticks), 0)`.as('cost_ticks')])
    .groupBy('provenance')
    .execute()) as { provenance: Provenance; rows: unknown; cost_ticks: unknown }[];
  const batches = await ledger.db.selectFrom('import_batches').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  const invoices = await ledger.db.selectFrom('invoices').select(sql<number>`count(*)`.as('n')).executeTakeFirst();

  const byProvenance = Object.fromEntries(
    PROVENANCES.map((p) => [p, { rows: 0, cost_usd: '0', cost_ticks: 0n }]),
  ) as LedgerTotals['by_provenance'];
  for (const layer of layers) {
    const ticks = toBigInt(layer.cost_ticks);
    byProvenance[layer.provenance] = { rows: Number(layer.rows), cost_usd: ticksToUsd(ticks).toFixed(), cost_ticks: ticks };
  }
  return {
    ...(all ?? metricsOf({})),
    first_ts: span?.first_ts ?? null,
    last_ts: span?.last_ts ?? null,
    batches: Number(batches?.n ?? 0),
    invoices: Number(invoices?.n ?? 0),
    by_provenance: byProvenance,
  };
}
