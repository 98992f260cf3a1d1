/**
 * Live agent-loop detection (issue 7): for requests that carry `x-llmfin-trace-id`, the
 * proxy keeps each trace's last few calls (prompt hash and, once answered, its error) and
 * asks `detectLoop` — the same rule `llmfin anomalies` applies to the ledger — whether
 * the trace is looping. Bounded: at most `maxTraces` traces (least recently used dropped
 * first), `2 × repeats` calls each, and calls older than `ttlMs` forgotten, so a prompt
 * repeated hours apart is not a loop. Requests without a trace id cost nothing here.
 */
import { detectLoop, type LoopCall, type LoopFinding } from '../../anomalies/loop-detector.js';

export type LoopAction = 'flag' | 'block';

export interface LoopOptions {
  action: LoopAction;
  repeats: number;
}

export const DEFAULT_LOOP_OPTIONS: LoopOptions = { action: 'flag', repeats: 4 };

interface TimedCall extends LoopCall {
  at: number;
}

export class LoopWatch {
  readonly #traces = new Map<string, TimedCall[]>();
  readonly #maxTraces: number;
  readonly #ttlMs: number;

  constructor(maxTraces = 10_000, ttlMs = 10 * 60_000) {
    this.#maxTraces = maxTraces;
    this.#ttlMs = ttlMs;
  }

  get traces(): number {
    return this.#traces.size;
  }

  /**
   * Adds a call to its trace's window and says whether the trace now loops (a repeat or
   * an oscillation; an error is not known yet). The returned call is updated by `settle`.
   */
  observe(traceId: string, signature: string, repeats: number, now = Date.now()): { call: LoopCall; finding: LoopFinding | undefined } {
    let calls = this.#traces.get(traceId);
    if (calls === undefined) {
      if (this.#traces.size >= this.#maxTraces) {
        // Least recently used first: Map iteration order is insertion order, and a touch re-inserts.
        const oldest = this.#traces.keys().next();
        if (oldest.done !== true) this.#traces.delete(oldest.value);
      }
      calls = [];
    } else {
      this.#traces.delete(traceId);
      let stale = 0;
      while (stale < calls.length && now - calls[stale]!.at > this.#ttlMs) stale++;
      if (stale > 0) calls.splice(0, stale);
    }
    this.#traces.set(traceId, calls);
    const call: TimedCall = { signature, error: null, at: now };
    calls.push(call);
    const keep = 2 * repeats;
    if (calls.length > keep) calls.splice(0, calls.length - keep);
    return { call, finding: detectLoop(calls, repeats) };
  }

  /**
   * Takes back a call that `observe` added but the proxy refused before forwarding (a
   * budget's 429): it never reached the upstream, so it is no call of the trace, and a
   * client retrying against a blocked budget must not be taken for a loop.
   */
  withdraw(traceId: string, call: LoopCall): void {
    const calls = this.#traces.get(traceId);
    const at = calls?.lastIndexOf(call as TimedCall) ?? -1;
    if (at !== -1) calls!.splice(at, 1);
  }

  /**
   * Records how a call ended (`error`: null when it succeeded) and says whether the trace
   * now loops on the same error. Only the newest call of a trace can complete a
   * same-error loop; an older one just has its error noted.
   */
  settle(traceId: string, call: LoopCall, error: string | null, repeats: number): LoopFinding | undefined {
    call.error = error;
    if (error === null) return undefined;
    const calls = this.#traces.get(traceId);
    if (calls === undefined || calls[calls.length - 1] !== call) return undefined;
    const finding = detectLoop(calls, repeats);
    return finding?.kind === 'same_error' ? finding : undefined;
  }
}

/** `x-llmfin-loop` header value. */
export function loopHeader(finding: LoopFinding): string {
  return `${finding.kind};repeats=${finding.repeats}`;
}
