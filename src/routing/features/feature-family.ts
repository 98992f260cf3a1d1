/**
 * The scorer's extension point. A feature family reads the bounded `PromptView`, writes
 * its raw signal values into the request's feature vector, and says how much they add
 * to the difficulty logit. Adding a family: a file in this folder exporting a
 * `FeatureFamily`, and one line in features/index.ts. A family that counts words or
 * phrases declares them as `keywords` rather than running its own regexes: every
 * family's keywords are counted in one pass over the text (keyword-scan.ts). Signal names are stored on ledger
 * rows (route-record.ts) so that `llmfin route simulate` can replay them: never rename
 * one, add a new name instead.
 */
import type { PromptView } from '../prompt-view.js';

/** Words or phrases a family counts in the view's lead and tail. */
export interface Keyword {
  /** Begins with `\b`, case-insensitive, no capturing group (see KeywordScan). */
  readonly pattern: RegExp;
  /** The most matches counted in the lead, and in the tail. */
  readonly leadCap: number;
  readonly tailCap: number;
}

export interface FeatureFamily {
  readonly id: string;
  /** Names of the raw values this family writes, in order; snake_case, stable. */
  readonly signals: readonly string[];
  /** The family's keywords; their counts reach `extract` in this order. */
  readonly keywords?: readonly Keyword[];
  /**
   * Writes `signals.length` values at `out[offset…]`. Bounded work: reads `view` only.
   * `hits[hitOffset + k]` is the count of the family's k-th keyword, lead and tail together.
   */
  extract(view: PromptView, out: Float64Array, offset: number, hits: Int32Array, hitOffset: number): void;
  /** This family's part of the difficulty logit (positive = needs a larger model). */
  difficulty(values: Float64Array, offset: number): number;
  /** True when the values are evidence about difficulty (a request with none gets the default tier). */
  evidence(values: Float64Array, offset: number): boolean;
}

/** Counts matches of a global regex in `text`, at most `cap` (bounded work on adversarial text); for patterns that are not keywords. */
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
