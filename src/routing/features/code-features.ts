/**
 * Code: fenced blocks, braces and semicolons, language keywords, stack traces. A prompt
 * that carries code asks for precise work that small models get wrong more often.
 */
import type { FeatureFamily } from './feature-family.js';

// Bounded: word alternation only, no nested quantifiers.
const KEYWORDS = /\b(?:def|function|class|import|return|const|let|var|public|static|void|select|insert|update|where|struct|impl|fn|func|async|await|lambda|elif|println|printf|console\.log|traceback|exception|stack trace|segfault|regex|sql|typescript|javascript|python|rust|golang|java|kotlin|bash)\b/i;

export const codeFeatures: FeatureFamily = {
  id: 'code',
  signals: ['code'],
  keywords: [{ pattern: KEYWORDS, leadCap: 24, tailCap: 8 }],
  extract(view, out, o, hits, h) {
    const keywords = hits[h]!;
    const punctuation = view.braces + view.semicolons;
    // A strength in [0, 1]: a fenced block or a few keywords with code punctuation is enough.
    out[o] = Math.min(1, view.fences * 0.5 + keywords / 6 + (keywords > 0 ? punctuation / 12 : punctuation / 40));
  },
  difficulty(v, o) {
    return 0.9 * v[o]!;
  },
  evidence(v, o) {
    return v[o]! >= 0.34;
  },
};
