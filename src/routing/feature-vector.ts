/**
 * The feature vector: every family's raw values in one Float64Array, the difficulty
 * logit they add up to, and the conversions to and from the named signals stored on
 * ledger rows (so a replay scores exactly what the proxy scored).
 */
import { FAMILY_OFFSETS, FEATURE_FAMILIES, KEYWORD_OFFSETS, KEYWORDS, SIGNAL_NAMES } from './features/index.js';
import type { PromptView } from './prompt-view.js';
import { KeywordScan } from './keyword-scan.js';

// Every family's keywords scanned together (keyword-scan.ts).
const SCAN = new KeywordScan(KEYWORDS.map((k) => k.pattern));
const LEAD_CAPS = Int32Array.from(KEYWORDS, (k) => k.leadCap);
const TAIL_CAPS = Int32Array.from(KEYWORDS, (k) => k.tailCap);

export interface Difficulty {
  /** The lexical difficulty logit; 0 is a typical short request. */
  difficulty: number;
  /** Whether any family saw evidence (else the policy's default tier applies). */
  evidence: boolean;
}

export function extractFeatures(view: PromptView): Float64Array {
  const out = new Float64Array(SIGNAL_NAMES.length);
  const hits = new Int32Array(KEYWORDS.length);
  SCAN.count(view.lead, LEAD_CAPS, hits);
  SCAN.count(view.tail, TAIL_CAPS, hits);
  for (let i = 0; i < FEATURE_FAMILIES.length; i++) FEATURE_FAMILIES[i]!.extract(view, out, FAMILY_OFFSETS[i]!, hits, KEYWORD_OFFSETS[i]!);
  return out;
}

export function difficultyOf(values: Float64Array): Difficulty {
  let difficulty = 0;
  let evidence = false;
  for (let i = 0; i < FEATURE_FAMILIES.length; i++) {
    const family = FEATURE_FAMILIES[i]!;
    difficulty += family.difficulty(values, FAMILY_OFFSETS[i]!);
    if (!evidence && family.evidence(values, FAMILY_OFFSETS[i]!)) evidence = true;
  }
  return { difficulty, evidence };
}

/** The non-zero signals by name, rounded to 3 decimals (what explain prints and the ledger keeps). */
export function signalsOf(values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < SIGNAL_NAMES.length; i++) {
    const v = values[i]!;
    if (v !== 0) out[SIGNAL_NAMES[i]!] = Math.round(v * 1000) / 1000;
  }
  return out;
}

/** The vector of stored signals; unknown names are ignored and missing ones are 0. */
export function vectorFromSignals(signals: Readonly<Record<string, unknown>>): Float64Array {
  const out = new Float64Array(SIGNAL_NAMES.length);
  for (let i = 0; i < SIGNAL_NAMES.length; i++) {
    const v = signals[SIGNAL_NAMES[i]!];
    if (typeof v === 'number' && Number.isFinite(v)) out[i] = v;
  }
  return out;
}
