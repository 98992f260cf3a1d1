/**
 * The feature registry: one line per family. Order fixes each signal's slot in the
 * feature vector; names, not slots, are what the ledger stores.
 */
import type { FeatureFamily, Keyword } from './feature-family.js';
import { lengthFeatures } from './length-features.js';
import { codeFeatures } from './code-features.js';
import { codeAskFeatures } from './code-ask-features.js';
import { mathFeatures } from './math-features.js';
import { structureFeatures } from './structure-features.js';
import { conversationFeatures } from './conversation-features.js';
import { taskKindFeatures } from './task-kind-features.js';

export const FEATURE_FAMILIES: readonly FeatureFamily[] = [lengthFeatures, codeFeatures, codeAskFeatures, mathFeatures, structureFeatures, conversationFeatures, taskKindFeatures];

/** Every signal name, in vector order. */
export const SIGNAL_NAMES: readonly string[] = FEATURE_FAMILIES.flatMap((f) => f.signals);

/** Each family's first slot in the vector. */
export const FAMILY_OFFSETS: readonly number[] = offsets(FEATURE_FAMILIES.map((f) => f.signals.length));

/** Every family's keywords, in family order (counted together: keyword-scan.ts). */
export const KEYWORDS: readonly Keyword[] = FEATURE_FAMILIES.flatMap((f) => f.keywords ?? []);

/** Each family's first keyword's index in KEYWORDS. */
export const KEYWORD_OFFSETS: readonly number[] = offsets(FEATURE_FAMILIES.map((f) => f.keywords?.length ?? 0));

/** Where each of `sizes` starts when they are laid end to end. */
function offsets(sizes: readonly number[]): number[] {
  let at = 0;
  return sizes.map((n) => {
    const start = at;
    at += n;
    return start;
  });
}

export type { FeatureFamily } from './feature-family.js';
