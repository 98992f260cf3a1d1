/**
 * Structure of the ask: constraints (must, exactly, JSON, a table), multi-step
 * instructions (numbered lists, first … then), the requested output size (an essay, N
 * words, a full implementation, a large max_tokens) and the number of questions.
 */
import type { FeatureFamily } from './feature-family.js';
import { cap, countMatches } from './feature-family.js';

const CONSTRAINTS = /\b(?:must|exactly|at least|at most|no more than|no less than|only|do not|don't|never|always|ensure|strictly|json|yaml|csv|table|bullet points?|format|limit|within)\b/gi;
const STEPS = /\b(?:first(?:ly)?|then|next|finally|afterwards|secondly|step by step|step \d)\b/gi;
const OUTPUT = /\b(?:essay|article|story|blog post|report|detailed|comprehensive|in[- ]depth|thorough|full implementation|complete (?:code|program|implementation)|\d{3,5} words|rewrite|draft|compose|outline)\b/gi;

export const structureFeatures: FeatureFamily = {
  id: 'structure',
  signals: ['constraints', 'steps', 'output_size', 'questions', 'max_tokens'],
  extract(view, out, o) {
    out[o] = countMatches(CONSTRAINTS, view.lead, 16) + countMatches(CONSTRAINTS, view.tail, 4);
    out[o + 1] = Math.min(16, view.listItems + countMatches(STEPS, view.lead, 12) + countMatches(STEPS, view.tail, 4));
    out[o + 2] = countMatches(OUTPUT, view.lead, 8) + countMatches(OUTPUT, view.tail, 4);
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
