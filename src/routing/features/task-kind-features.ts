/**
 * The kind of task asked for, where the length and keyword families cannot tell: a problem
 * with one right answer (count, compute, solve, find, prove, a question about numbers)
 * against a piece of writing (a story, an email, a role to play). Small models lose most
 * on the first and least on the second: in LiteLLM's UltraFeedback tier table (the prior
 * routing-forecast.md §1.5 names; BerriAI/litellm, complexity_router
 * artifacts/ultrafeedback_tiers.json, domain statistics) the cheapest tier succeeds on
 * 72.0% of analytical-reasoning requests and 86.0% of writing requests against 80.1% of
 * general ones, and the largest tier on 98–99% of each. The weights are those rates as
 * logit shifts from general, set from that table rather than from the evaluation sets:
 * +0.45 for an answer to work out, −0.42 for writing. On MT-Bench the same split is the
 * reasoning, math and coding categories against writing and roleplay (its published
 * category scores, and the tuning fold: 0.743 → 0.789 APGR with GSM8K and MMLU unchanged,
 * since nearly every GSM8K prompt is a problem and almost no MMLU prompt asks for writing).
 * The phrases also cover what LiteLLM's own request-type rules (complexity_router
 * classifier) put in those two classes, since its table's rates are what the weights say:
 * reasoning cues with no number in sight (explain your reasoning, deduce, a riddle, work
 * out, probability, statistics, derive) and edits of a text (edit or proofread a
 * paragraph, make it more formal); and role-play openers beyond "imagine" and "act as"
 * (picture yourself, embody, now you are). No weight changed: tuning fold 0.789 → 0.806,
 * GSM8K and MMLU unchanged; held-out 0.646 → 0.663. "Explain" alone is no cue: it asks for
 * an explanation as often as for a worked answer.
 */
import type { FeatureFamily } from './feature-family.js';

// Bounded: alternations of fixed phrases, nothing nested.
const ANSWER_ASK =
  /\b(?:how (?:many|much|long|far|old|fast|often)|what(?: is|.s) the (?:value|probability|area|remainder|sum|product|total|number|answer|result|minimum|maximum)|calculate|compute|solve|find (?:the|all|x|y)|determine|prove|express|simplify|what (?:day|time|direction)|which (?:one|direction)|true, false|true or false|is it possible|explain your reasoning|reasoning steps|riddle|puzzle|deduce|logically|(?:figure|work) out|probability|statistics|combinatorics|derive)\b/i;
// Bounded: at most one free word between the verb and the kind of text.
const WRITING_ASK =
  /\b(?:imagine|pretend|act as|acting as|play the role|role-?play|assume the role|take on the role|embrace the role|embody|persona|picture yourself|(?:suppose|now) you are|you are now|(?:write|compose|draft|craft|create|generate|give me) (?:a |an |the |some |\d+ |five |three |ten )?(?:[\w-]+ )?(?:story|stories|poem|poems|essay|blog|post|email|letter|speech|song|lyrics|limerick|haiku|paragraph|tweet|slogan|headline|ad|advertisement|script|dialogue|toast|invitation|outline)|(?:rewrite|edit|proofread|polish|revise)\b[^.?!\n]{0,40}\b(?:email|essay|blog|post|article|letter|memo|copy|paragraph|sentences?|text)|make (?:this|it) (?:more |less )?(?:concise|formal|casual|professional|persuasive)|brainstorm|persuasive|creative|catchy|engaging|vivid)\b/i;

/** Logit shift of an answer to work out (72.0% vs 80.1% at the cheapest tier). */
export const ANSWER_ASK_WEIGHT = 0.45;
/** Logit shift of a writing ask (86.0% vs 80.1%), negative: easier. */
export const WRITING_ASK_WEIGHT = -0.42;

export const taskKindFeatures: FeatureFamily = {
  id: 'task_kind',
  signals: ['answer_ask', 'writing_ask'],
  // Presence (0 or 1): one match in the lead or the tail is all that is asked of each.
  keywords: [
    { pattern: ANSWER_ASK, leadCap: 1, tailCap: 1 },
    { pattern: WRITING_ASK, leadCap: 1, tailCap: 1 },
  ],
  extract(view, out, o, hits, h) {
    // A question with a number in it is a problem to work out without the verbs.
    const numericQuestion = view.digits >= 1 && view.questionMarks >= 1;
    out[o] = numericQuestion || hits[h]! > 0 ? 1 : 0;
    out[o + 1] = hits[h + 1]! > 0 ? 1 : 0;
  },
  difficulty(v, o) {
    // The kind of task is what matters, not how many words name it.
    return (v[o]! > 0 ? ANSWER_ASK_WEIGHT : 0) + (v[o + 1]! > 0 ? WRITING_ASK_WEIGHT : 0);
  },
  evidence(v, o) {
    return v[o]! > 0 || v[o + 1]! > 0;
  },
};
