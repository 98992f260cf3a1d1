/**
 * The tier each recent trace has reached, so that a conversation or agent run only
 * moves up (switching a long agent run to a smaller model half-way loses its cache and
 * its quality). A Map in insertion order is the LRU: a touched trace is re-inserted at
 * the end and the oldest is evicted past `maxTraces`. Entries expire after `ttlMs`.
 */
export class TraceStickiness {
  private readonly tiers = new Map<string, { tier: number; at: number }>();
  private readonly maxTraces: number;
  private readonly ttlMs: number;

  constructor(maxTraces: number, ttlMs: number) {
    this.maxTraces = maxTraces;
    this.ttlMs = ttlMs;
  }

  /** The tier the trace has reached, or -1. */
  get(traceId: string, now: number): number {
    const e = this.tiers.get(traceId);
    if (!e) return -1;
    if (now - e.at > this.ttlMs) {
      this.tiers.delete(traceId);
      return -1;
    }
    return e.tier;
  }

  /** Records `tier` for the trace; it never goes down. */
  raise(traceId: string, tier: number, now: number): void {
    const e = this.tiers.get(traceId);
    const next = e && now - e.at <= this.ttlMs ? Math.max(e.tier, tier) : tier;
    if (e) this.tiers.delete(traceId);
    this.tiers.set(traceId, { tier: next, at: now });
    if (this.tiers.size > this.maxTraces) {
      const oldest = this.tiers.keys().next();
      if (!oldest.done) this.tiers.delete(oldest.value);
    }
  }

  /** Takes the traces `other` holds, oldest first, as far as this one's bound allows. */
  adopt(other: TraceStickiness): void {
    for (const [traceId, e] of other.tiers) this.tiers.set(traceId, { ...e });
    for (const traceId of this.tiers.keys()) {
      if (this.tiers.size <= this.maxTraces) break;
      this.tiers.delete(traceId);
    }
  }

  get size(): number {
    return this.tiers.size;
  }
}
