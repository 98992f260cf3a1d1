/**
 * Conversation state: depth, tool errors and repeats. An agent that keeps failing its
 * tool calls is stuck; a deeper conversation carries more state to get right.
 * Escalation on repeated errors is a policy rule (router.ts); this is the soft part.
 */
import type { FeatureFamily } from './feature-family.js';
import { log1p2 } from './feature-family.js';

export const conversationFeatures: FeatureFamily = {
  id: 'conversation',
  signals: ['turns', 'tool_errors', 'repeats'],
  extract(view, out, o) {
    out[o] = view.turns;
    out[o + 1] = view.toolErrors;
    out[o + 2] = view.repeats;
  },
  difficulty(v, o) {
    return 0.15 * Math.max(0, log1p2(v[o]!) - 1) + 0.5 * log1p2(v[o + 1]!) + 0.4 * log1p2(v[o + 2]!);
  },
  evidence(v, o) {
    return v[o]! >= 6 || v[o + 1]! > 0 || v[o + 2]! > 0;
  },
};
