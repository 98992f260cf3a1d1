/**
 * Requests and tokens per second, from what arrived in the ledger over a sliding
 * window. Arrival time rather than the rows' own timestamps, so a slow request that
 * started a minute ago still counts now, and clocks of other machines do not matter.
 */
export class RateMeter {
  readonly #windowMs: number;
  readonly #startedAt: number;
  #samples: Array<{ at: number; requests: number; tokens: number; costTicks: bigint }> = [];

  constructor(windowMs: number, startedAt: number) {
    this.#windowMs = windowMs;
    this.#startedAt = startedAt;
  }

  add(at: number, requests: number, tokens: number, costTicks: bigint): void {
    this.#samples.push({ at, requests, tokens, costTicks });
    this.#prune(at);
  }

  #prune(now: number): void {
    const cutoff = now - this.#windowMs;
    let drop = 0;
    while (drop < this.#samples.length && (this.#samples[drop]?.at ?? 0) <= cutoff) drop++;
    if (drop > 0) this.#samples = this.#samples.slice(drop);
  }

  /** Per-second rates over the window (or since the start, while the window fills). */
  rates(now: number): { requestsPerSecond: number; tokensPerSecond: number; costPerRequestTicks: number } {
    this.#prune(now);
    const span = Math.max(1, Math.min(this.#windowMs, now - this.#startedAt)) / 1000;
    let requests = 0;
    let tokens = 0;
    let cost = 0n;
    for (const s of this.#samples) {
      requests += s.requests;
      tokens += s.tokens;
      cost += s.costTicks;
    }
    return { requestsPerSecond: requests / span, tokensPerSecond: tokens / span, costPerRequestTicks: requests > 0 ? Number(cost) / requests : 0 };
  }
}
