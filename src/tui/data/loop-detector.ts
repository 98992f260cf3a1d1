/**
 * A live agent-loop flag: the same trace making the same call — same model, same input
 * and output token counts — again and again is almost always an agent stuck retrying.
 * Flagged from the 4th identical call. Memory is bounded: signatures not seen for a
 * while are forgotten, and at most `capacity` are tracked, least recently seen dropped
 * first — 8,000 is the last 16 s of 500 all-different requests a second, while a stuck
 * agent repeats itself within seconds.
 */
import type { LiveRow } from './live-row.js';
import type { LiveFlag } from './live-flag.js';
import { formatCount } from '../format/format-money.js';

export const LOOP_THRESHOLD = 4;
const FORGET_AFTER_MS = 10 * 60_000;

interface Seen {
  count: number;
  last: number;
  first: number;
  costTicks: bigint;
}

export class LoopDetector {
  readonly #capacity: number;
  readonly #seen = new Map<string, Seen>();

  constructor(capacity = 8000) {
    this.#capacity = capacity;
  }

  /** Records `row`; returns a flag when its trace has now repeated the call LOOP_THRESHOLD times or more. */
  observe(row: LiveRow, now: number): LiveFlag | undefined {
    if (!row.trace || row.granularity !== 'request') return undefined;
    const key = `${row.trace}\u0000${row.model ?? ''}\u0000${row.inputTokens}\u0000${row.outputTokens}`;
    const previous = this.#seen.get(key);
    const seen: Seen = previous
      ? { count: previous.count + 1, last: now, first: previous.first, costTicks: previous.costTicks + (row.costTicks ?? 0n) }
      : { count: 1, last: now, first: now, costTicks: row.costTicks ?? 0n };
    // Re-inserted so that the map's order is least recently seen first.
    this.#seen.delete(key);
    this.#seen.set(key, seen);
    if (this.#seen.size > this.#capacity) this.#forget(now, true);
    if (seen.count < LOOP_THRESHOLD) return undefined;
    const who = row.agent ? `agent ${row.agent}` : row.feature ? `feature ${row.feature}` : row.team ? `team ${row.team}` : row.provider;
    return {
      kind: 'loop',
      key: `loop:${key}`,
      since: seen.first,
      at: now,
      text: `loop: ${who} · trace ${row.trace} · ${row.model ?? '?'} ${formatCount(row.inputTokens)}→${formatCount(row.outputTokens)} tokens ×${seen.count}`,
      costTicks: seen.costTicks,
    };
  }

  /** Drops signatures idle for FORGET_AFTER_MS; with `overCapacity`, also the oldest beyond capacity. */
  #forget(now: number, overCapacity: boolean): void {
    for (const [key, seen] of this.#seen) {
      const stale = now - seen.last > FORGET_AFTER_MS;
      if (!stale && !(overCapacity && this.#seen.size > this.#capacity)) break;
      this.#seen.delete(key);
    }
  }

  /** Periodic clean-up of idle signatures. */
  prune(now: number): void {
    this.#forget(now, false);
  }

  get size(): number {
    return this.#seen.size;
  }
}
