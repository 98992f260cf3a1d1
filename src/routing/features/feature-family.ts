/**
 * The scorer's extension point. A feature family reads the bounded `PromptView`, writes
 * its raw signal values into the request's feature vector, and says how much they add
 * to the difficulty logit. Adding a family: a file in this folder exporting a
 * `FeatureFamily`, and one line in features/index.ts. Signal names are stored on ledger
 * rows (route-record.ts) so that `llmfin route simulate` can replay them: never rename
 * one, add a new name instead.
 */
import type { PromptView } from '../prompt-view.js';

export interface FeatureFamily {
  readonly id: string;
  /** Names of the raw values this family writes, in order; snake_case, stable. */
  readonly signals: readonly string[];
  /** Writes `signals.length` values at `out[offset…]`. Bounded work: reads `view` only. */
  extract(view: PromptView, out: Float64Array, offset: number): void;
  /** This family's part of the difficulty logit (positive = needs a larger model). */
  difficulty(values: Float64Array, offset: number): number;
  /** True when the values are evidence about difficulty (a request with none gets the default tier). */
  evidence(values: Float64Array, offset: number): boolean;
}

/** Counts matches of a global regex in `text`, at most `cap` (bounded work on adversarial text). */
export function countMatches(re: RegExp, text: string, cap: number): number {
  if (text.length === 0) return 0;
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(text) !== null) n++;
  re.lastIndex = 0;
  return n;
}

/** log2(1 + x), the shape every count is given before it is weighted. */
export function log1p2(x: number): number {
  return Math.log2(1 + x);
}

/** min(1, x / at): a presence signal that saturates at `at`. */
export function cap(x: number, at: number): number {
  return x >= at ? 1 : x / at;
}
