/** Reads and writes `route_feedback` (the outcomes `llmfin route feedback` records). */
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { RouteOutcome } from '../ledger/ledger-schema.js';

export interface FeedbackReceipt {
  id: number;
  request_id: string;
  outcome: RouteOutcome;
  /** Whether a ledger row with this request id exists yet (the proxy flushes every 250 ms). */
  row_found: boolean;
  created_at: string;
}

export async function recordFeedback(ledger: LedgerStore, requestId: string, outcome: RouteOutcome, note: string | undefined, now: Date): Promise<FeedbackReceipt> {
  const created_at = now.toISOString();
  const inserted = await ledger.db
    .insertInto('route_feedback')
    .values({ request_id: requestId, outcome, note: note ?? null, created_at })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await ledger.db.selectFrom('usage_entries').select('id').where('request_id', '=', requestId).limit(1).executeTakeFirst();
  return { id: Number(inserted.id), request_id: requestId, outcome, row_found: row !== undefined, created_at };
}

/** request id → the latest outcome recorded for it. */
export async function feedbackByRequest(ledger: LedgerStore): Promise<Map<string, RouteOutcome>> {
  const rows = await ledger.db.selectFrom('route_feedback').select(['request_id', 'outcome']).orderBy('id').execute();
  const out = new Map<string, RouteOutcome>();
  for (const r of rows) out.set(r.request_id, r.outcome);
  return out;
}
