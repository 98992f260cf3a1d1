/**
 * Structure of the ask: constraints (must, exactly, JSON, a table), multi-step
 * instructions (numbered lists, first … then), the requested output size (an essay, N
 * words, a full implementation, a large max_tokens) and the number of questions.
 */
import type { FeatureFamily } from './feature-family.js';
import { cap } from './feature-family.js';

const CONSTRAINTS = /\b(?:must|exactly|at least|at most|no more than|no less than|only|do not|don't|never|always|ensure|strictly|json|yaml|csv|table|bullet points?|format|limit|within)\b/i;
const STEPS = /\b(?:first(?:ly)?|then|next|finally|afterwards|secondly|step by step|step \d)\b/i;
const OUTPUT = /\b(?:essay|article|story|blog post|report|detailed|comprehensive|in[- ]depth|thorough|full implementation|complete (?:code|program|implementation)|\d{3,5} words|rewrite|draft|compose|outline)\b/i;

export const structureFeatures: FeatureFamily = {
  id: 'structure',
  signals: ['constraints', 'steps', 'output_size', 'questions', 'max_tokens'],
  keywords: [
    { pattern: CONSTRAINTS, leadCap: 16, tailCap: 4 },
    { pattern: STEPS, leadCap: 12, tailCap: 4 },
    { pattern: OUTPUT, leadCap: 8, tailCap: 4 },
  ],
  extract(view, out, o, hits, h) {
    out[o] = hits[h]!;
    out[o + 1] = Math.min(16, view.listItems + hits[h + 1]!);
    out[o + 2] = hits[h + 2]!;
    out[o + 3] = Math.min(view.questionMarks, 16);
    out[o + 4] = view.maxTokens;
  },
  difficulty(v, o) {
    const bigOutput = v[o + 4]! >= 4096 ? 0.3 : 0;
    return 0.15 * cap(v[o]!, 3) + 0.15 * cap(v[o + 1]!, 3) + 0.15 * cap(v[o + 2]!, 1) + 0.05 * cap(v[o + 3]!, 2) + bigOutput;
  },
  evidence(v, o) {
    return v[o]! >= 2 || v[o + 1]! >= 2 || v[o + 2]! >= 1 || v[o + 4]! >= 4096;
  },
};
