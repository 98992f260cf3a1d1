/**
 * The proxy's admission hook. Before an LLM request is forwarded the proxy asks the gate
 * whether it may go, with an upper bound of its cost; the gate may allow it (and reserve
 * that bound), allow it on a cheaper model, or refuse it. The budgets engine
 * (src/budgets/) implements this structurally, without depending on the proxy.
 *
 * Life of a ticket: exactly one of `settle` (the attempt cost something: the real or the
 * estimated cost, in ticks) or `release` (the attempt cost nothing: upstream error,
 * refused before the model ran) is called, once, when the attempt is over.
 */

export interface GateRequest {
  dialect: 'openai' | 'anthropic';
  endpoint: string; // '/v1/chat/completions', …
  provider: string; // catalogue provider id, e.g. 'openai', 'anthropic'
  model: string; // model requested
  dims: Readonly<Record<string, string>>; // team, feature, customer, agent, environment, key (proxy key name) …
  maxCostTicks: bigint; // upper bound of this request's cost: prompt estimate (chars/4) + max_tokens (or a default cap) for each of its n completions, at the model's prices; 0n when the model is unpriced
  /** The upstream (by configured name) the request is routed to. */
  upstream?: string;
  /** The proxy's id for this request (`x-llmfin-request-id`). */
  requestId?: string;
}

export interface GateTicket {
  settle(actualCostTicks: bigint): void;
  release(): void;
  /**
   * After `settle`: moves what it settled by `deltaTicks` (an estimate replaced by the real
   * cost, as a background response's) in each of its budgets whose period still holds the
   * request. Optional.
   */
  correct?(deltaTicks: bigint): void;
  /**
   * Before `settle` or `release`: the request is served with these dims rather than those it
   * was admitted with (a budget's downgrade changed its model or upstream), so it counts in
   * the budgets they fall in, as its ledger row will. Optional.
   */
  rescope?(dims: Readonly<Record<string, string>>): void;
}

export type GateDecision =
  /** model: a replacement (budget downgrade); downgrade without a model: use the routing policy's cheapest tier. */
  | { kind: 'allow'; ticket: GateTicket; model?: string; downgrade?: boolean; notice?: string; budget?: string }
  | {
      kind: 'reject';
      status: 429;
      budget: string;
      message: string;
      retryAfterSeconds?: number;
      /**
       * false: the refusal stands until `retryAfterSeconds` (a blocked budget's period end), so
       * the client should not retry: the proxy says `x-should-retry: false`, which the OpenAI
       * and Anthropic SDKs obey. Otherwise they sleep for the whole Retry-After (hours, for a
       * daily budget) and ask again. Absent: the client's own retry rules apply.
       */
      retry?: boolean;
    };

/** One budget's state, for `/metrics` (optional: a gate without budgets has none). */
export interface GateBudgetSnapshot {
  name: string;
  spentTicks: bigint;
  reservedTicks: bigint;
  limitTicks: bigint;
  /** The soft limit (the budget's soft_limit_percent of the limit): amber from here. Absent: 80% of the limit. */
  softTicks?: bigint;
}

/** Called synchronously before forwarding, so a reservation is atomic within the event loop. */
export interface RequestGate {
  admit(request: GateRequest): GateDecision;
  /** Budget states for `/metrics`; optional. */
  snapshot?(): readonly GateBudgetSnapshot[];
  /**
   * Moves the spend already counted for a request made at `at` by `deltaTicks` in each
   * budget its dims fall in whose period holds `at`: an estimate replaced by the real cost
   * after the request's ticket was settled (a background response re-priced). Optional.
   */
  correct?(dims: Readonly<Record<string, string>>, at: Date, deltaTicks: bigint): void;
  /**
   * Re-reads the budgets' spend from the ledger, after `flushed` has written this process's
   * queued rows: an import landed while the proxy runs. Resolves to the last row id the
   * read may have counted (undefined: nothing was re-read). Optional.
   */
  reseed?(flushed: () => Promise<unknown>): Promise<number | undefined>;
}

export const openGate: RequestGate = { admit: () => ({ kind: 'allow', ticket: { settle() {}, release() {} } }) };
