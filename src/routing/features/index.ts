/**
 * The feature registry: one line per family. Order fixes each signal's slot in the
 * feature vector; names, not slots, are what the ledger stores.
 */
import type { FeatureFamily } from './feature-family.js';
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
export const FAMILY_OFFSETS: readonly number[] = FEATURE_FAMILIES.reduce<number[]>((acc, f, i) => {
  acc.push(i === 0 ? 0 : acc[i - 1]! + FEATURE_FAMILIES[i - 1]!.signals.length);
  return acc;
}, []);

export type { FeatureFamily } from './feature-family.js';
