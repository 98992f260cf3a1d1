/**
 * Span totals across imports. An agent framework puts the summed usage of an agent run
 * on its `invoke_agent` span as well as on each model call below it; within one file the
 * otel importer skips such a total. But a trace's spans are exported as they end, so a
 * Collector that rotates its file (or a day's export read one file at a time) puts the
 * model calls in one file and the agent span that sums them in the next: each file alone
 * sees no total, and the run would be counted twice.
 *
 * So each span row keeps, in its raw usage, the ids of the spans above it that its file
 * knew (`ancestor_span_ids`, ending with the first parent the file did not have) and of
 * the spans below it (`descendant_span_ids`). After an import, a row of the same trace
 * that some other row lies below — its span is among that row's ancestors, or one of its
 * descendants is — is a total, and is removed: this import's own (counted as skipped), or
 * an earlier import's (counted as replaced: the model calls replace their total).
 *
 * The source's dedupe keys must begin with the trace id and a colon (`trace:span`), so a
 * trace's rows are found by a range of the (source, dedupe_key) index.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from '../ledger-schema.js';

export interface SpanTotalsResult {
  /** This import's rows removed as totals of rows already in the ledger. */
  ownRemoved: number;
  /** Earlier imports' rows removed as totals of this import's rows. */
  earlierRemoved: number;
}

interface SpanRow {
  id: number;
  batch: number | null;
  span: string;
  ancestors: string[];
  descendants: Set<string>;
}

/** Traces looked up per statement: one bound value each. */
const TRACES_PER_QUERY = 500;

function idsIn(raw: Record<string, unknown>, key: string): string[] {
  const v = raw[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function settleSpanTotals(trx: Kysely<LedgerDatabase>, source: string, batchId: number): Promise<SpanTotalsResult> {
  const traces = (await trx.selectFrom('usage_entries').select('trace_id').distinct().where('batch_id', '=', batchId).where('trace_id', 'is not', null).execute()).map((r) => r.trace_id!);
  const remove: number[] = [];
  let ownRemoved = 0;
  for (let i = 0; i < traces.length; i += TRACES_PER_QUERY) {
    const part = traces.slice(i, i + TRACES_PER_QUERY);
    const values = sql.join(part.map((t) => sql`(${t})`));
    const rows = await sql<{ id: number; batch_id: number | null; trace_id: string; request_id: string | null; raw_usage: string | null }>`
      SELECT e.id, e.batch_id, e.trace_id, e.request_id, e.raw_usage
      FROM (VALUES ${values}) AS t
      JOIN usage_entries AS e ON e.source = ${source} AND e.dedupe_key >= t.column1 || ':' AND e.dedupe_key < t.column1 || ';'`.execute(trx);
    const byTrace = new Map<string, SpanRow[]>();
    for (const r of rows.rows) {
      if (r.request_id === null) continue;
      let raw: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(r.raw_usage ?? '{}');
        if (parsed !== null && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
      } catch {
        // A row without readable raw usage knows no other span: it is never a total here.
      }
      const list = byTrace.get(r.trace_id) ?? [];
      list.push({ id: r.id, batch: r.batch_id, span: r.request_id, ancestors: idsIn(raw, 'ancestor_span_ids'), descendants: new Set(idsIn(raw, 'descendant_span_ids')) });
      byTrace.set(r.trace_id, list);
    }
    for (const list of byTrace.values()) {
      if (list.length < 2) continue;
      for (const total of list) {
        const below = list.some((r) => r !== total && (r.batch === batchId || total.batch === batchId) && r.ancestors.some((a) => a === total.span || total.descendants.has(a)));
        if (!below) continue;
        remove.push(total.id);
        if (total.batch === batchId) ownRemoved++;
      }
    }
  }
  for (let i = 0; i < remove.length; i += TRACES_PER_QUERY) await trx.deleteFrom('usage_entries').where('id', 'in', remove.slice(i, i + TRACES_PER_QUERY)).execute();
  return { ownRemoved, earlierRemoved: remove.length - ownRemoved };
}
