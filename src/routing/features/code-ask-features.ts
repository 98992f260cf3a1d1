/**
 * Code asks: a request to write, fix or analyse code (implement, write a function or a
 * program, an algorithm, its complexity, "in Python"). The code family sees code that is
 * pasted; a one-line "implement X" carries none and is short, so length ranked it low, yet
 * writing code is where small models lag most: on MT-Bench's tuning fold coding had the
 * largest weak→strong gaps, and this ask took that fold's APGR from 0.62 to 0.74 with GSM8K
 * and MMLU unchanged (the held-out fold did not move: 0.59).
 */
import type { FeatureFamily } from './feature-family.js';
import { cap } from './feature-family.js';

// Bounded: alternations and single character classes, nothing nested.
const CODE_ASK =
  /\b(?:implement(?:ation|ing)?|algorithms?|refactor|debug|(?:time|space) complexity|unit tests?|(?:write|develop|create|build|code|generate) (?:a |an |the )?(?:[\w+#]+ )?(?:function|program|script|class|method|query|regex|parser|module|component|api|endpoint|website|web page|app|cli)|(?:in|using) (?:python|javascript|typescript|java|c\+\+|c#|rust|go|golang|ruby|php|swift|kotlin|scala|sql|bash|shell|html|css|react))(?![\w+#])/i;

export const codeAskFeatures: FeatureFamily = {
  id: 'code_ask',
  signals: ['code_ask'],
  keywords: [{ pattern: CODE_ASK, leadCap: 4, tailCap: 2 }],
  extract(view, out, o, hits, h) {
    out[o] = hits[h]!;
  },
  difficulty(v, o) {
    // Presence: one ask is the signal, more phrases for it say nothing more.
    return 0.8 * cap(v[o]!, 1);
  },
  evidence(v, o) {
    return v[o]! >= 1;
  },
};
