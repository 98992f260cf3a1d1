/**
 * Live agent-loop flags, decided by the anomalies domain's own detector (detectLoop):
 * a trace whose last calls repeat one call (same prompt hash, or same model and token
 * counts when no hash was recorded), fail with the same error, or alternate between two
 * calls — from the 4th time. Memory is bounded: per trace only its last 2 × 4 calls are
 * kept, traces idle for 10 minutes are forgotten, and at most `capacity` traces are
 * tracked, least recently seen dropped first (4,000 is the last 8 s of 500 all-different
 * traces a second, while a stuck agent repeats itself within seconds).
 */
import { DEFAULT_LOOP_REPEATS, callSignature, detectLoop, type LoopCall, type LoopKind } from '../../anomalies/loop-detector.js';
import { formatCount } from '../format/format-money.js';
import type { LiveFlag } from './live-flag.js';
import type { LiveRow } from './live-row.js';

export const LOOP_THRESHOLD = DEFAULT_LOOP_REPEATS;
const KEEP_CALLS = 2 * LOOP_THRESHOLD;
const FORGET_AFTER_MS = 10 * 60_000;

interface TraceState {
  calls: LoopCall[];
  first: number;
  last: number;
  costTicks: bigint;
}

const KIND_WORDS: Record<LoopKind, string> = { repeat: 'same call', same_error: 'same error', oscillation: 'two calls alternating' };

export class LoopDetector {
  readonly #capacity: number;
  readonly #traces = new Map<string, TraceState>();

  constructor(capacity = 4000) {
    this.#capacity = capacity;
  }

  /** Records `row`; returns a flag when its trace is now looping. */
  observe(row: LiveRow, now: number): LiveFlag | undefined {
    if (!row.trace || row.granularity !== 'request') return undefined;
    const previous = this.#traces.get(row.trace);
    const state: TraceState = previous ?? { calls: [], first: now, last: now, costTicks: 0n };
    state.calls.push({
      signature: callSignature({ model: row.model, input_tokens: row.inputTokens, output_tokens: row.outputTokens, prompt_hash: row.promptHash }),
      error: row.statusCode !== null && row.statusCode >= 400 ? String(row.statusCode) : null,
    });
    if (state.calls.length > KEEP_CALLS) state.calls.shift();
    state.last = now;
    state.costTicks += row.costTicks ?? 0n;
    // Re-inserted so that the map's order is least recently seen first.
    this.#traces.delete(row.trace);
    this.#traces.set(row.trace, state);
    if (this.#traces.size > this.#capacity) this.#forget(now, true);
    const finding = detectLoop(state.calls, LOOP_THRESHOLD);
    if (!finding) return undefined;
    const who = row.agent ? `agent ${row.agent}` : row.feature ? `feature ${row.feature}` : row.team ? `team ${row.team}` : row.provider;
    return {
      kind: 'loop',
      key: `loop:${row.trace}`,
      since: state.first,
      at: now,
      text: `loop: ${who} · trace ${row.trace} · ${KIND_WORDS[finding.kind]} ×${finding.repeats} · ${row.model ?? '?'} ${formatCount(row.inputTokens)}→${formatCount(row.outputTokens)} tokens`,
      costTicks: state.costTicks,
    };
  }

  /** Drops traces idle for FORGET_AFTER_MS; with `overCapacity`, also the least recent beyond capacity. */
  #forget(now: number, overCapacity: boolean): void {
    for (const [trace, state] of this.#traces) {
      const stale = now - state.last > FORGET_AFTER_MS;
      if (!stale && !(overCapacity && this.#traces.size > this.#capacity)) break;
      this.#traces.delete(trace);
    }
  }

  /** Periodic clean-up of idle traces. */
  prune(now: number): void {
    this.#forget(now, false);
  }

  get size(): number {
    return this.#traces.size;
  }
}
