/**
 * The scorer: features → predicted success per tier. Each tier's success starts from
 * its cohort's smoothed rate (or the tier's base success when nothing is known) and is
 * lowered by the lexical difficulty, less so for larger tiers:
 *   success[t] = σ(logit(rate[t]) − sensitivity[t] · λ · difficulty)
 * with sensitivity falling from 1 (cheapest) to 0.5 (largest), λ = 1 without cohort
 * evidence and smaller with it (what a workload's own outcomes say beats the words).
 * Success is made monotonic across tiers. The score is the expected gain of the best
 * tier over the cheapest, success[top] − success[0]: what is lost by routing down.
 * Ranking by gain rather than by the cheap tier's failure rate matters: a cohort that
 * every model fails gains nothing from the large one (MMLU: 0.67 vs 0.59 APGR).
 */
import type { Cohort } from './cohort-priors.js';
import type { CompiledPriors } from './compiled-priors.js';
import { difficultyOf, extractFeatures } from './feature-vector.js';
import { buildPromptView, type RouteText } from './prompt-view.js';

/** Weight of the lexical difficulty once a cohort has its own outcomes. */
export const LEXICAL_WEIGHT_WITH_COHORT = 0.5;

export interface ScoreResult {
  values: Float64Array;
  difficulty: number;
  /** Lexical evidence: a feature fired. */
  evidence: boolean;
  /** The cohort (or a parent level) has at least `minRequests` outcomes. */
  cohortEvidence: boolean;
  /** Predicted success per tier index, non-decreasing. */
  success: Float64Array;
  /** success[top] − success[0], in [0, 1]. */
  score: number;
}

export class Scorer {
  private readonly sensitivity: Float64Array;
  private readonly priors: CompiledPriors;
  private readonly minRequests: number;
  private readonly scanChars: number;

  constructor(tierCount: number, priors: CompiledPriors, options: { minRequests: number; scanChars: number }) {
    this.sensitivity = new Float64Array(tierCount);
    for (let t = 0; t < tierCount; t++) this.sensitivity[t] = tierCount <= 1 ? 1 : 1 - (0.5 * t) / (tierCount - 1);
    this.priors = priors;
    this.minRequests = options.minRequests;
    this.scanChars = options.scanChars;
  }

  scoreText(text: RouteText, cohort: Cohort): ScoreResult {
    return this.scoreVector(extractFeatures(buildPromptView(text, this.scanChars)), cohort);
  }

  scoreVector(values: Float64Array, cohort: Cohort): ScoreResult {
    const { difficulty, evidence } = difficultyOf(values);
    const { rates, trials } = this.priors.lookup(cohort);
    const cohortEvidence = trials >= this.minRequests;
    const lambda = cohortEvidence ? LEXICAL_WEIGHT_WITH_COHORT : 1;
    const n = this.sensitivity.length;
    const success = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const p = sigmoid(logit(rates[t]!) - this.sensitivity[t]! * lambda * difficulty);
      success[t] = t > 0 && p < success[t - 1]! ? success[t - 1]! : p;
    }
    const score = n === 0 ? 0 : success[n - 1]! - success[0]!;
    return { values, difficulty, evidence, cohortEvidence, success, score };
  }
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
