/**
 * Cohort priors from the ledger's own outcomes. A routed request counts as a success of
 * the tier that served it unless something says otherwise:
 * - explicit feedback (`llmfin route feedback`): good = success, bad or escalated = failure;
 * - a retry: the same prompt hash again in the same trace within 10 minutes;
 * - an escalation: the next request of the trace was escalated by the router.
 * Only rows with a routing record (written by the proxy) are read, and only answered ones
 * (2xx): a 5xx, a 429 or a timeout is the provider's failure, not the model's answer, so
 * it is neither a success nor a failure of its tier, and the request sent again after it
 * is not a retry of an answer. (The row before the error is still judged by the row
 * after it: asking the same thing twice around an outage is a retry of that answer.)
 */
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { RoutingConfig } from '../config/routing-config-schema.js';
import { CohortPriors } from './cohort-priors.js';
import { DEFAULTS } from './compile-policy.js';
import { feedbackByRequest } from './route-feedback-store.js';
import { textHash } from './text-hash.js';
import { routedRows } from './routed-rows.js';

const RETRY_WINDOW_MS = 10 * 60_000;
/** The prompt hash of a request with no user text (a Responses API call carrying only tool outputs): asks nothing, so repeats nothing. */
const NO_PROMPT = textHash('');

export interface LearnedPriors {
  priors: CohortPriors;
  rows: number;
  failures: number;
}

export async function learnPriors(ledger: LedgerStore, routing: RoutingConfig, now = new Date()): Promise<LearnedPriors> {
  const sinceDays = routing.priors?.since_days ?? DEFAULTS.sinceDays;
  const since = new Date(now.getTime() - sinceDays * 86_400_000);
  const feedback = await feedbackByRequest(ledger);
  // Outcomes are decided when the next request of the trace is seen, so the last one per trace waits here.
  const pending = new Map<string, { cohort: { agent?: string; feature?: string; system?: string }; tier: string; prompt: string | undefined; at: number; requestId: string | null }>();
  const priors = new CohortPriors();
  let rows = 0;
  let failures = 0;
  const settle = (p: { cohort: { agent?: string; feature?: string; system?: string }; tier: string; requestId: string | null }, failedByTrace: boolean) => {
    const explicit = p.requestId ? feedback.get(p.requestId) : undefined;
    const success = explicit !== undefined ? explicit === 'good' : !failedByTrace;
    if (!success) failures++;
    priors.add(p.cohort, p.tier, success ? 1 : 0);
  };
  for await (const row of routedRows(ledger, since, now)) {
    const rec = row.record;
    if (!rec || !rec.served_tier) continue;
    if (row.status_code !== null && (row.status_code < 200 || row.status_code > 299)) continue;
    rows++;
    const cohort = { agent: row.agent ?? undefined, feature: row.feature ?? undefined, system: rec.system };
    const at = Date.parse(row.ts);
    const current = { cohort, tier: rec.served_tier, prompt: rec.prompt, at, requestId: row.request_id };
    if (!row.trace_id) {
      settle(current, false);
      continue;
    }
    const previous = pending.get(row.trace_id);
    if (previous) {
      const retried = previous.prompt !== undefined && previous.prompt !== NO_PROMPT && previous.prompt === rec.prompt && at - previous.at <= RETRY_WINDOW_MS;
      settle(previous, retried || rec.escalated === true);
    }
    pending.set(row.trace_id, current);
  }
  for (const p of pending.values()) settle(p, false);
  return { priors, rows, failures };
}
