/**
 * Responses API background mode (`background: true`): the create call is answered at once,
 * `queued` or `in_progress` and without usage; the usage exists only once the response has
 * ended, and the client learns it by retrieving the response (`GET /v1/responses/{id}`, or
 * the answer to its cancel). The create's row is written at once as an estimate (its prompt
 * and its whole output cap: attempt-entry.ts) and held here by the upstream's response id;
 * when a retrieval through the proxy shows that response ended, its usage is priced
 * exactly and replaces the estimate in the same row (the writer's replace: one row, never
 * a second one), the budget reservation is settled on the real cost, and the entry is
 * dropped, so a second retrieval changes nothing. A retrieval of a response no proxy
 * recorded records nothing.
 *
 * The budget reservation (the request's maximum cost, as for any request) is kept while
 * the response runs, rather than settled on the estimate: the model is running and may
 * spend up to that bound, and a reservation is what other requests are admitted against,
 * so overshoot past a hard limit stays bounded exactly as for a request in flight. It is
 * settled on the real cost when the proxy sees the response end, or on the row's estimate
 * after BACKGROUND_HOLD_MS (or when the proxy stops): a response never retrieved through
 * the proxy keeps its estimated row, which is at least what it may have cost. A response
 * retrieved later than that (up to BACKGROUND_FORGET_MS) still has its row re-priced, and
 * the ticket moves what it settled from the estimate to the real cost (GateTicket.correct)
 * in each budget whose period still holds the create.
 *
 * The ledger is what outlives a proxy: at start, the pending rows of the last
 * BACKGROUND_FORGET_MS are held again (background-rows.ts), so a response retrieved after
 * a restart is re-priced as it would have been before; and a retrieval that shows a
 * response this proxy does not hold ended with usage looks its pending row up in the
 * ledger (another proxy on the same ledger created it) and re-prices it the same way. A
 * row read back has no reservation: when it was in the ledger before this proxy started,
 * its estimate is in the spend the budgets were seeded with, and its re-pricing moves
 * that spend from the estimate to the real cost; one written since (by another proxy) was
 * never in this proxy's budgets, which are left alone. The writer's replacement applies
 * only while the row is still pending, so of two proxies that both see the end, one
 * re-prices the row.
 */
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { GateTicket } from '../request-gate.js';
import type { ProxyRuntime } from '../proxy-runtime.js';
import { attemptRow, isPendingStatus, priceAttempt, type AttemptCost, type AttemptOutcome } from '../ledger/attempt-entry.js';
import { heldFromRow, pendingBackgroundRow, pendingBackgroundRows, type PendingRow } from './background-rows.js';
import type { PromptFeatures } from '../request/prompt-features.js';
import type { CapturedUsage } from '../usage/usage-capture.js';

/** How long a background response's reservation is held waiting for its end: an hour (deep research runs take tens of minutes). */
export const BACKGROUND_HOLD_MS = 60 * 60 * 1000;
/** How long its row can still be re-priced by a retrieval: a day. */
export const BACKGROUND_FORGET_MS = 24 * 60 * 60 * 1000;
/** The most background responses held at once; past it the oldest is settled on its estimate and forgotten. */
const MAX_HELD = 10_000;
/**
 * How far from the provider's `created_at` a retrieved response's row is looked for: the
 * row's ts is the proxy's clock when the create was sent, `created_at` the provider's when
 * it was received; an hour either way covers any clock difference worth the name.
 */
const CREATED_AT_SLACK_MS = 60 * 60 * 1000;
/** Response ids re-priced from a row looked up, remembered so a second retrieval before the write lands does not re-price again. */
const MAX_SETTLED = 1000;

interface Held {
  outcome: AttemptOutcome;
  prompt: PromptFeatures;
  estimate: AttemptCost;
  ticket: GateTicket | undefined;
  /** True while the reservation is held (and the estimate not yet counted in /metrics). */
  reserved: boolean;
  /**
   * A row read back from the ledger whose estimate is in the budgets' seeded spend: the
   * gate's dimensions of its create, to move that spend to the real cost.
   */
  seeded?: Record<string, string> | undefined;
  timer: NodeJS.Timeout;
}

/** A response's key: the upstream it was created on and its id there. */
const keyOf = (upstream: string, id: string): string => `${upstream}\u0000${id}`;

export class BackgroundResponses {
  readonly #held = new Map<string, Held>();
  readonly #holdMs: number;
  readonly #forgetMs: number;
  readonly #ledger: LedgerStore | undefined;
  /** When the budgets were read from the ledger: rows written before are in their spend. */
  readonly #seededAt: number;
  /** Keys being looked up in the ledger, and keys re-priced from a row looked up (most recent last). */
  readonly #looking = new Set<string>();
  readonly #settled = new Set<string>();

  /** @param ledger where rows of responses this proxy does not hold are looked up; none: not looked up */
  constructor(holdMs = BACKGROUND_HOLD_MS, forgetMs = BACKGROUND_FORGET_MS, ledger?: LedgerStore, seededAt = Date.now()) {
    this.#holdMs = holdMs;
    this.#forgetMs = Math.max(holdMs, forgetMs);
    this.#ledger = ledger;
    this.#seededAt = seededAt;
  }

  /**
   * Holds again the pending background rows of the re-pricing window (newest first, at most
   * MAX_HELD): one range read of the ledger's ts index. Returns how many are held.
   */
  async load(rt: ProxyRuntime, now = Date.now()): Promise<number> {
    if (this.#ledger === undefined) return 0;
    const rows = await pendingBackgroundRows(this.#ledger, now - this.#forgetMs, MAX_HELD);
    let held = 0;
    // Oldest first, so that the oldest is the first forgotten past MAX_HELD.
    for (let i = rows.length - 1; i >= 0; i--) if (this.#holdRow(rt, rows[i]!, now)) held++;
    if (held > 0) rt.log.event('info', `${held} background responses still pending in the ledger: re-priced when retrieved through the proxy`);
    return held;
  }

  /** Holds a row read back from the ledger (no reservation); undefined when it cannot be re-priced here or is already held. */
  #holdRow(rt: ProxyRuntime, row: PendingRow, now: number): Held | undefined {
    const rebuilt = heldFromRow(row, rt.config.upstreams);
    if (rebuilt === undefined) return undefined;
    const { outcome, prompt, estimate, dims } = rebuilt;
    const key = keyOf(outcome.upstream.name, outcome.background!.id);
    if (this.#held.has(key)) return undefined;
    if (this.#held.size >= MAX_HELD) this.#forget(rt, this.#held.keys().next().value!);
    const timer = setTimeout(() => this.#forget(rt, key), Math.max(0, outcome.startedAt + this.#forgetMs - now));
    timer.unref();
    const held: Held = { outcome, prompt, estimate, ticket: undefined, reserved: false, seeded: outcome.startedAt < this.#seededAt ? dims : undefined, timer };
    this.#held.set(key, held);
    return held;
  }

  get size(): number {
    return this.#held.size;
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
    this.#replace(rt, key, held, status, usage);
    return true;
  }

  /**
   * A retrieval showed a response this proxy does not hold ended, with usage: its pending
   * row, if the ledger has one (another proxy created it, or it was held by this one before
   * a restart and forgotten), is re-priced as a held one would be. Looked up once per id at
   * a time; resolves with whether a row was re-priced.
   */
  async lookUp(rt: ProxyRuntime, upstream: string, id: string, status: string, usage: CapturedUsage | undefined, createdAtS: number | undefined): Promise<boolean> {
    if (this.#ledger === undefined || isPendingStatus(status) || usage === undefined || !usage.complete) return false;
    const key = keyOf(upstream, id);
    if (this.#held.has(key) || this.#looking.has(key) || this.#settled.has(key)) return false;
    this.#looking.add(key);
    try {
      const now = Date.now();
      const created = createdAtS === undefined ? undefined : createdAtS * 1000;
      const from = Math.max(now - this.#forgetMs, created === undefined ? 0 : created - CREATED_AT_SLACK_MS);
      const to = created === undefined ? now : Math.min(now, created + CREATED_AT_SLACK_MS);
      const row = from > to ? undefined : await pendingBackgroundRow(this.#ledger, upstream, id, from, to);
      if (row === undefined) return false;
      // Held meanwhile (a retrieval of the same id settled it, or it came back some other way): nothing more to do.
      if (this.#held.has(key) || this.#settled.has(key)) return false;
      const held = this.#holdRow(rt, row, now);
      if (held === undefined) return false;
      this.#replace(rt, key, held, status, usage);
      this.#settled.add(key);
      if (this.#settled.size > MAX_SETTLED) this.#settled.delete(this.#settled.values().next().value!);
      return true;
    } catch (error) {
      rt.log.event('error', `background response ${id}: its pending row could not be read from the ledger: ${(error as Error).message}`);
      return false;
    } finally {
      this.#looking.delete(key);
    }
  }

  #replace(rt: ProxyRuntime, key: string, held: Held, status: string, usage: CapturedUsage | undefined): void {
    const id = held.outcome.background!.id;
    this.#held.delete(key);
    clearTimeout(held.timer);
    // How the create's own answer ended (a stream cut short) no longer matters: the usage is the response's whole.
    const o: AttemptOutcome = { ...held.outcome, usage, failure: undefined, failureDetail: undefined, streamNote: undefined, background: { ...held.outcome.background!, status } };
    const cost = priceAttempt(o, rt.pricer, rt.catalogueVersion);
    rt.queue.replace(attemptRow(o, cost, held.prompt, rt.catalogueVersion));
    if (held.reserved) {
      settleTicket(rt, held.ticket, cost, o.requestId);
      countCost(rt, o.upstream.name, cost);
    } else if (held.ticket !== undefined && held.estimate.consumed) {
      // Its hold ran out and the reservation was settled on the estimate: move that spend to the real cost.
      const delta = (cost.consumed ? (cost.costTicks ?? 0n) : 0n) - (held.estimate.costTicks ?? 0n);
      try {
        if (delta !== 0n) held.ticket.correct?.(delta);
      } catch (error) {
        rt.log.event('error', `budget gate failed to re-price ${o.requestId}: ${(error as Error).message}`);
      }
    } else if (held.seeded !== undefined) {
      correctSeededSpend(rt, held, cost);
    }
    rt.log.event('info', `background response ${id} ${status}: ${o.requestId} re-priced from its estimate ($${held.estimate.costUsd ?? 'unpriced'}) to $${cost.costUsd ?? 'unpriced'} (${cost.costStatus})`, {
      request_id: o.requestId,
      response_id: id,
    });
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

/**
 * Moves the budgets' seeded spend from a row's estimate to its real cost: each budget the
 * create fell in whose period holds the create's time (the others never counted it).
 */
function correctSeededSpend(rt: ProxyRuntime, held: Held, cost: AttemptCost): void {
  const estimate = held.estimate.costTicks ?? 0n;
  const real = cost.consumed ? (cost.costTicks ?? 0n) : 0n;
  if (real === estimate || rt.gate.correct === undefined) return;
  try {
    rt.gate.correct(held.seeded!, new Date(held.outcome.startedAt), real - estimate);
  } catch (error) {
    rt.log.event('error', `budget gate failed to re-price ${held.outcome.requestId}: ${(error as Error).message}`);
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
