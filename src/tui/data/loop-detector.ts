/**
 * Live agent-loop flags, decided by the anomalies domain's own detector (detectLoop):
 * a trace whose last calls repeat one call (same prompt hash, or same model and token
 * counts when no hash was recorded), fail with the same error, or alternate between two
 * calls — from the 4th time. Memory is bounded: per trace only its last 2 × 4 calls are
 * kept, traces idle for 10 minutes are forgotten, and at most `capacity` traces are
 * tracked, least recently seen dropped first (4,000 is the last 8 s of 500 all-different
 * traces a second, while a stuck agent repeats itself within seconds).
 *
 * The state is kept compact because it is most of what the dashboard holds under load
 * (a heap snapshot at 500 requests/s: 3.2 MB of 18 MB): each call is a 53-bit hash of its
 * signature in a plain number array, errors are status codes in a second array made only
 * for a trace that has failed, and times are milliseconds since the detector started
 * (small integers, not boxed numbers). The calls are spelled out for detectLoop only once
 * a trace has enough of them to loop.
 */
import { DEFAULT_LOOP_REPEATS, callSignature, detectLoop, type LoopCall, type LoopKind } from '../../anomalies/loop-detector.js';
import { hash53 } from '../../shared/hash53.js';
import { formatCount } from '../format/format-money.js';
import type { LiveFlag } from './live-flag.js';
import type { LiveRow } from './live-row.js';

const FORGET_AFTER_MS = 10 * 60_000;

interface TraceState {
  /** hash53 of each kept call's signature, oldest first. */
  sigs: number[];
  /** The kept calls' HTTP status when it was an error (0: none), once the trace has had one. */
  errors: number[] | undefined;
  /** First and last call, in ms since the detector's epoch. */
  first: number;
  last: number;
  costTicks: bigint;
}

/** A sha256 in hex, as the proxy records a prompt's hash (prompt-features.ts). */
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The number a call is told apart by: hash53 of its signature (callSignature). A prompt
 * hash the proxy recorded is a sha256, already uniform, so its first 52 bits serve as
 * well and are read natively; hashing its 66 characters in top's unoptimised code took
 * ~1.7 µs, a sixth of the time each arriving row cost the dashboard. Two different calls
 * share a number with the odds hash53 gives them, below one in a thousand among millions.
 */
function signatureHash(row: LiveRow): number {
  if (row.promptHash && SHA256_HEX.test(row.promptHash)) return Number.parseInt(row.promptHash.slice(0, 13), 16);
  return hash53(callSignature({ model: row.model, input_tokens: row.inputTokens, output_tokens: row.outputTokens, prompt_hash: row.promptHash }));
}

const KIND_WORDS: Record<LoopKind, string> = { repeat: 'same call', same_error: 'same error', oscillation: 'two calls alternating' };

export class LoopDetector {
  readonly #capacity: number;
  /** The repeats that make a loop (anomalies.loop_repeats, as for the proxy and `llmfin anomalies`). */
  readonly #repeats: number;
  /** Calls kept per trace: enough to see an A-B alternation of `repeats` rounds. */
  readonly #keep: number;
  readonly #traces = new Map<string, TraceState>();
  /** The first `now` seen: times are kept relative to it. */
  #epoch: number | undefined;

  constructor(capacity = 4000, repeats = DEFAULT_LOOP_REPEATS) {
    this.#capacity = capacity;
    this.#repeats = repeats;
    this.#keep = 2 * repeats;
  }

  /** The repeats that make a loop. */
  get repeats(): number {
    return this.#repeats;
  }

  /** Records `row`; returns a flag when its trace is now looping. */
  observe(row: LiveRow, now: number): LiveFlag | undefined {
    if (!row.trace || row.granularity !== 'request') return undefined;
    this.#epoch ??= now;
    const t = now - this.#epoch;
    const state: TraceState = this.#traces.get(row.trace) ?? { sigs: [], errors: undefined, first: t, last: t, costTicks: 0n };
    state.sigs.push(signatureHash(row));
    const error = row.statusCode !== null && row.statusCode >= 400 ? row.statusCode : 0;
    if (error !== 0 && state.errors === undefined) state.errors = Array.from({ length: state.sigs.length - 1 }, () => 0);
    state.errors?.push(error);
    if (state.sigs.length > this.#keep) {
      state.sigs.shift();
      state.errors?.shift();
    }
    state.last = t;
    if (row.costTicks) state.costTicks += row.costTicks;
    // Re-inserted so that the map's order is least recently seen first.
    this.#traces.delete(row.trace);
    this.#traces.set(row.trace, state);
    if (this.#traces.size > this.#capacity) this.#forget(t, true);
    if (state.sigs.length < this.#repeats) return undefined;
    const calls: LoopCall[] = state.sigs.map((signature, i) => {
      const status = state.errors?.[i] ?? 0;
      return { signature, error: status === 0 ? null : String(status) };
    });
    const finding = detectLoop(calls, this.#repeats);
    if (!finding) return undefined;
    const who = row.agent ? `agent ${row.agent}` : row.feature ? `feature ${row.feature}` : row.team ? `team ${row.team}` : row.provider;
    return {
      kind: 'loop',
      key: `loop:${row.trace}`,
      since: this.#epoch + state.first,
      at: now,
      text: `loop: ${who} · trace ${row.trace} · ${KIND_WORDS[finding.kind]} ×${finding.repeats} · ${row.model ?? '?'} ${formatCount(row.inputTokens)}→${formatCount(row.outputTokens)} tokens`,
      costTicks: state.costTicks,
    };
  }

  /** Drops traces idle for FORGET_AFTER_MS; with `overCapacity`, also the least recent beyond capacity. `t`: ms since the epoch. */
  #forget(t: number, overCapacity: boolean): void {
    for (const [trace, state] of this.#traces) {
      const stale = t - state.last > FORGET_AFTER_MS;
      if (!stale && !(overCapacity && this.#traces.size > this.#capacity)) break;
      this.#traces.delete(trace);
    }
  }

  /** Periodic clean-up of idle traces. */
  prune(now: number): void {
    if (this.#epoch !== undefined) this.#forget(now - this.#epoch, false);
  }

  get size(): number {
    return this.#traces.size;
  }
}
