/**
 * Per-request and per-trace reads for unit economics. These need per-request detail,
 * so they read the rows of the period (rows of one request only: an aggregated export
 * row is not a request, nor is a row that counts several, whatever its granularity says)
 * through the ts index, streaming. An attempt the upstream refused before the model ran
 * is no request (failed-attempt.ts), as in every other figure of a report.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger-store.js';
import { COUNTED_REQUESTS, FAILED_ATTEMPT } from './failed-attempt.js';
import { ROW_COLUMN, type FactColumn } from './usage-facts.js';


export interface RequestSample {
  tokens: number;
  input_tokens: number;
  output_tokens: number;
  ids: Partial<Record<FactColumn, string | null>>;
}

export interface Period {
  since?: string;
  until?: string;
}

function range(period: Period) {
  return sql`${period.since !== undefined ? sql`and ts >= ${period.since}` : sql``} ${period.until !== undefined ? sql`and ts < ${period.until}` : sql``}`;
}

/** Token counts of every request in the period, with the identifiers asked for. */
export async function requestSamples(ledger: LedgerStore, period: Period, columns: readonly FactColumn[]): Promise<RequestSample[]> {
  const cols = columns.map((c, i) => sql.raw(`"${ROW_COLUMN[c]}" as c${i}`));
  const result = await sql<Record<string, unknown>>`select input_tokens, output_tokens${cols.length ? sql`, ${sql.join(cols)}` : sql``}
    from usage_entries where granularity = 'request' and requests = 1 and charge_category = 'usage' and not ${sql.raw(FAILED_ATTEMPT)} ${range(period)}`.execute(ledger.db);
  return result.rows.map((r) => {
    const ids: Partial<Record<FactColumn, string | null>> = {};
    columns.forEach((c, i) => {
      const v = r[`c${i}`];
      ids[c] = v === null || v === undefined || v === '' ? null : String(v);
    });
    const input = Number(r.input_tokens);
    const output = Number(r.output_tokens);
    return { tokens: input + output, input_tokens: input, output_tokens: output, ids };
  });
}

export interface TraceSummary {
  trace: string;
  steps: number;
  cost_ticks: bigint;
  /** Rows of a model the catalogue does not know: their cost is in no cost_ticks. */
  unpriced_rows: number;
  first_ts: string;
  last_ts: string;
  /** One value per identifier column (the trace's largest, when its rows disagree). */
  ids: Partial<Record<FactColumn, string | null>>;
}

/** Every trace (agent run, session) in the period: steps, cost and time span. */
export async function traceSummaries(ledger: LedgerStore, period: Period, columns: readonly FactColumn[]): Promise<TraceSummary[]> {
  const cols = columns.map((c, i) => sql.raw(`max("${ROW_COLUMN[c]}") as c${i}`));
  // A row that counts several requests (an llmfin row with "requests": 3) is that many steps;
  // an attempt the upstream refused before the model ran is none (failed-attempt.ts).
  const result = await sql<Record<string, unknown>>`select trace_id, sum(${sql.raw(COUNTED_REQUESTS)}) as steps, coalesce(sum(cost_ticks), 0) as cost_ticks,
      coalesce(sum(cost_status = 'unpriced'), 0) as unpriced_rows, min(ts) as first_ts, max(ts) as last_ts${cols.length ? sql`, ${sql.join(cols)}` : sql``}
    from usage_entries where trace_id is not null and charge_category = 'usage' ${range(period)} group by trace_id`.execute(ledger.db);
  return result.rows.map((r) => {
    const ids: Partial<Record<FactColumn, string | null>> = {};
    columns.forEach((c, i) => {
      const v = r[`c${i}`];
      ids[c] = v === null || v === undefined || v === '' ? null : String(v);
    });
    return { trace: String(r.trace_id), steps: Number(r.steps), cost_ticks: BigInt(r.cost_ticks as bigint), unpriced_rows: Number(r.unpriced_rows), first_ts: String(r.first_ts), last_ts: String(r.last_ts), ids };
  });
}
