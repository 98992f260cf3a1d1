/**
 * Agent-loop detection on one trace's recent calls, pure and O(window) so the proxy can
 * run it on every request (routing-forecast.md §3.4: frameworks break after 3–4 identical
 * calls; llmfin flags by the 4th). Three shapes, anchored on the newest call:
 * - `repeat`: the newest call's signature (a prompt hash, or model + token counts when no
 *   hash was recorded) appears `repeats` times in the last `2 × repeats` calls;
 * - `same_error`: the newest call failed with an error seen `repeats` times in that window;
 * - `oscillation`: the last `2 × repeats` calls alternate between two signatures (A B A B…).
 */

export interface LoopCall {
  /** Identical calls share it: the proxy's prompt hash, or `callSignature(...)` (or a hash of it). */
  signature: string | number;
  /** An error code or message hash when the call failed; null/undefined when it did not. */
  error?: string | null | undefined;
}

export type LoopKind = 'repeat' | 'same_error' | 'oscillation';

export interface LoopFinding {
  /** How many times the loop's call has been made in the window (≥ the threshold). */
  repeats: number;
  kind: LoopKind;
}

export const DEFAULT_LOOP_REPEATS = 4;

/** `recent`: the trace's calls, oldest first (the proxy keeps the last `2 × repeats`). */
export function detectLoop(recent: readonly LoopCall[], repeats: number = DEFAULT_LOOP_REPEATS): LoopFinding | undefined {
  const n = recent.length;
  if (n < repeats || repeats < 2) return undefined;
  const newest = recent[n - 1]!;
  const window = recent.slice(Math.max(0, n - 2 * repeats));
  if (newest.error) {
    const same = window.filter((c) => c.error === newest.error).length;
    if (same >= repeats) return { repeats: same, kind: 'same_error' };
  }
  if (window.length === 2 * repeats) {
    const a = window[0]!.signature;
    const b = window[1]!.signature;
    if (a !== b && window.every((c, i) => c.signature === (i % 2 === 0 ? a : b))) return { repeats, kind: 'oscillation' };
  }
  const same = window.filter((c) => c.signature === newest.signature).length;
  if (same >= repeats) return { repeats: same, kind: 'repeat' };
  return undefined;
}

/** The stand-in signature when no prompt hash was recorded: same model, same tokens in and out. */
export function callSignature(call: { model: string | null; input_tokens: number; output_tokens: number; prompt_hash?: string | null }): string {
  if (call.prompt_hash) return `h:${call.prompt_hash}`;
  return `t:${call.model ?? ''}|${call.input_tokens}|${call.output_tokens}`;
}
