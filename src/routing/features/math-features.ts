/**
 * Math: numbers, operators and math words. Number count is what separated hard from easy
 * questions on MT-Bench (routing-forecast.md §1.3, APGR 0.72 for the number count).
 */
import type { FeatureFamily } from './feature-family.js';
import { cap, countMatches } from './feature-family.js';

const MATH_WORDS = /\b(?:solve|prove|proof|integral|derivative|equation|probability|calculate|compute|how many|how much|percent(?:age)?|average|ratio|theorem|matrix|polynomial|factor|prime|sqrt|logarithm|geometry|triangle|area|volume|velocity)\b/i;
// A run of digits, with an optional decimal part: "3", "2.5", "1,000".
const NUMBERS = /\d+(?:[.,]\d+)?/g;

export const mathFeatures: FeatureFamily = {
  id: 'math',
  signals: ['numbers', 'math_words', 'operators'],
  keywords: [{ pattern: MATH_WORDS, leadCap: 16, tailCap: 4 }],
  extract(view, out, o, hits, h) {
    out[o] = view.digits === 0 ? 0 : countMatches(NUMBERS, view.lead, 64) + countMatches(NUMBERS, view.tail, 16);
    out[o + 1] = hits[h]!;
    out[o + 2] = Math.min(view.operators, 64);
  },
  difficulty(v, o) {
    // Presence, not counts: within one kind of task (GSM8K) more numbers did not mean harder
    // (dev-fold APGR 0.47), across kinds (MT-Bench) math marks where small models lag.
    return 0.36 * cap(v[o]!, 4) + 0.24 * cap(v[o + 1]!, 1) + 0.12 * cap(v[o + 2]!, 3);
  },
  evidence(v, o) {
    return v[o]! >= 2 || v[o + 1]! >= 1;
  },
};
