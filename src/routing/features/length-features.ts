/**
 * Length: the estimated tokens of the latest user turn and of the whole conversation
 * (characters / 4; no tokenizer on the hot path). On the RouteLLM sets length alone is the
 * strongest lexical signal (routing-forecast.md §1.3), but on real traffic long prompts
 * are often easy summarisation, so its weight is moderate and cohort priors can overrule it.
 */
import type { FeatureFamily } from './feature-family.js';
import { log1p2 } from './feature-family.js';

/** Tokens at which length is neutral (a two-line question). */
const NEUTRAL_TOKENS = 48;
/** Beyond this many tokens length is evidence by itself. */
const EVIDENCE_TOKENS = 1500;

export const lengthFeatures: FeatureFamily = {
  id: 'length',
  signals: ['tokens', 'context_tokens'],
  extract(view, out, o) {
    out[o] = Math.ceil(view.chars / 4);
    out[o + 1] = Math.ceil(view.contextChars / 4);
  },
  difficulty(v, o) {
    const tokens = v[o]!;
    const context = v[o + 1]!;
    // Per doubling of the prompt; a long conversation adds a little on top. Shortness alone
    // lowers difficulty by at most 0.6: a one-line "prove that…" is short and not easy.
    return Math.max(-0.6, 0.45 * (log1p2(tokens) - log1p2(NEUTRAL_TOKENS))) + 0.1 * Math.max(0, log1p2(context) - log1p2(Math.max(tokens, 1)) - 1);
  },
  evidence(v, o) {
    return v[o]! >= EVIDENCE_TOKENS;
  },
};
