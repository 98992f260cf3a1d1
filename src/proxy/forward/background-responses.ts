/**
 * Responses API background mode (`background: true`): the create call is answered at once,
 * `queued` or `in_progress` and without usage; the usage exists only once the response has
 * ended, and the client learns it by retrieving the response (`GET /v1/responses/{id}`, or
 * the answer to its cancel). The create's row is written at once as an estimate (its prompt
 * and its whole output cap: attempt-entry.ts) and held here by the upstream's response id;
 * when a retrieval through the proxy shows that response ended, its usage is priced
 * exactly and replaces the estimate in the same row (the writer's replace: one row, never
 * a second one), the budget reservation is settled on the real cost, and the entry is
 * dropped, so a second retrieval changes nothing. A retrieval of a response the proxy
 * did not see created records nothing.
 *
 * The budget reservation (the request's maximum cost, as for any request) is kept while
 * the response runs, rather than settled on the estimate: the model is running and may
 * spend up to that bound, and a reservation is what other requests are admitted against,
 * so overshoot past a hard limit stays bounded exactly as for a request in flight. It is
 * settled on the real cost when the proxy sees the response end, or on the row's estimate
 * after BACKGROUND_HOLD_MS (or when the proxy stops): a response never retrieved through
 * the proxy keeps its estimated row, which is at least what it may have cost. A response
 * retrieved later than that (up to BACKGROUND_FORGET_MS) still has its row re-priced; the
 * running budget then keeps the estimate it settled on — more than was spent — until the
 * proxy restarts and reads the spend back from the ledger.
 */
import type { GateTicket } from '../request-gate.js';
import type { ProxyRuntime } from '../proxy-runtime.js';
import { attemptRow, isPendingStatus, priceAttempt, type AttemptCost, type AttemptOutcome } from '../ledger/attempt-entry.js';
import type { PromptFeatures } from '../request/prompt-features.js';
import type { CapturedUsage } from '../usage/usage-capture.js';

/** How long a background response's reservation is held waiting for its end: an hour (deep research runs take tens of minutes). */
export const BACKGROUND_HOLD_MS = 60 * 60 * 1000;
/** How long its row can still be re-priced by a retrieval: a day. */
export const BACKGROUND_FORGET_MS = 24 * 60 * 60 * 1000;
/** The most background responses held at once; past it the oldest is settled on its estimate and forgotten. */
const MAX_HELD = 10_000;

interface Held {
  outcome: AttemptOutcome;
  prompt: PromptFeatures;
  estimate: AttemptCost;
  ticket: GateTicket | undefined;
  /** True while the reservation is held (and the estimate not yet counted in /metrics). */
  reserved: boolean;
  timer: NodeJS.Timeout;
}

/** A response's key: the upstream it was created on and its id there. */
const keyOf = (upstream: string, id: string): string => `${upstream}\u0000${id}`;

export class BackgroundResponses {
  readonly #held = new Map<string, Held>();
  readonly #holdMs: number;
  readonly #forgetMs: number;

  constructor(holdMs = BACKGROUND_HOLD_MS, forgetMs = BACKGROUND_FORGET_MS) {
    this.#holdMs = holdMs;
    this.#forgetMs = Math.max(holdMs, forgetMs);
  }

  get size(): number {
    return this.#held.size;
  }

  /** Whether a background response created on `upstream` with this id is waiting for its usage. */
  has(upstream: string, id: string): boolean {
    return this.#held.size > 0 && this.#held.has(keyOf(upstream, id));
  }

  /** Holds a pending background response's estimated row (already queued) and its reservation. */
  hold(rt: ProxyRuntime, outcome: AttemptOutcome, prompt: PromptFeatures, estimate: AttemptCost, ticket: GateTicket | undefined): void {
    const key = keyOf(outcome.upstream.name, outcome.background!.id);
    if (this.#held.has(key)) return;
    if (this.#held.size >= MAX_HELD) this.#forget(rt, this.#held.keys().next().value!);
    const timer = setTimeout(() => this.#release(rt, key), this.#holdMs);
    timer.unref();
    this.#held.set(key, { outcome, prompt, estimate, ticket, reserved: true, timer });
  }

  /**
   * A retrieval showed the response with `status`: when it has ended, its usage (undefined
   * when it has none that can be read: the estimate stays) replaces the estimate. Returns
   * whether the row was replaced.
   */
  settle(rt: ProxyRuntime, upstream: string, id: string, status: string, usage: CapturedUsage | undefined): boolean {
    if (isPendingStatus(status)) return false;
    const key = keyOf(upstream, id);
    const held = this.#held.get(key);
    if (held === undefined) return false;
    this.#held.delete(key);
    clearTimeout(held.timer);
    // How the create's own answer ended (a stream cut short) no longer matters: the usage is the response's whole.
    const o: AttemptOutcome = { ...held.outcome, usage, failure: undefined, failureDetail: undefined, streamNote: undefined, background: { ...held.outcome.background!, status } };
    const cost = priceAttempt(o, rt.pricer, rt.catalogueVersion);
    rt.queue.replace(attemptRow(o, cost, held.prompt, rt.catalogueVersion));
    if (held.reserved) {
      settleTicket(rt, held.ticket, cost, o.requestId);
      countCost(rt, o.upstream.name, cost);
    }
    rt.log.event('info', `background response ${id} ${status}: ${o.requestId} re-priced from its estimate ($${held.estimate.costUsd ?? 'unpriced'}) to $${cost.costUsd ?? 'unpriced'} (${cost.costStatus})`, {
      request_id: o.requestId,
      response_id: id,
    });
    return true;
  }

  /** Settles every held reservation on its estimate and forgets them all (the proxy is stopping: the rows stay estimated). */
  settleAll(rt: ProxyRuntime): void {
    for (const key of [...this.#held.keys()]) this.#forget(rt, key);
  }

  /** The hold is over: the reservation is settled on the estimate; the row can still be re-priced until forgotten. */
  #release(rt: ProxyRuntime, key: string): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#settleOnEstimate(rt, held);
    held.timer = setTimeout(() => this.#forget(rt, key), this.#forgetMs - this.#holdMs);
    held.timer.unref();
  }

  #forget(rt: ProxyRuntime, key: string): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#held.delete(key);
    clearTimeout(held.timer);
    this.#settleOnEstimate(rt, held);
  }

  #settleOnEstimate(rt: ProxyRuntime, held: Held): void {
    if (!held.reserved) return;
    held.reserved = false;
    settleTicket(rt, held.ticket, held.estimate, held.outcome.requestId);
    countCost(rt, held.outcome.upstream.name, held.estimate);
  }
}

function settleTicket(rt: ProxyRuntime, ticket: GateTicket | undefined, cost: AttemptCost, requestId: string): void {
  if (ticket === undefined) return;
  try {
    if (cost.consumed) ticket.settle(cost.costTicks ?? 0n);
    else ticket.release();
  } catch (error) {
    rt.log.event('error', `budget gate failed to settle ${requestId}: ${(error as Error).message}`);
  }
}

/** Adds an attempt's tokens and cost to /metrics' running totals. */
export function countCost(rt: ProxyRuntime, upstream: string, cost: AttemptCost): void {
  const cols = cost.cols;
  const totals = rt.metrics.totals(upstream, cost.model ?? '(none)');
  totals.addTokens(
    cols?.input_tokens ?? 0,
    cols?.uncached_input_tokens ?? 0,
    cols?.cache_read_tokens ?? 0,
    (cols?.cache_write_5m_tokens ?? 0) + (cols?.cache_write_1h_tokens ?? 0),
    cols?.output_tokens ?? 0,
    cols?.reasoning_tokens ?? 0,
  );
  if (cost.consumed) totals.addCost(cost.costTicks);
}
