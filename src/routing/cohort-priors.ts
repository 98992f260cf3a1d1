/**
 * Cohort priors: how often each tier's answers were good enough, per cohort, learned
 * from the ledger's own outcomes (learn-priors.ts) or, in the evaluation, from labelled
 * data. A cohort is agent × feature × system-prompt hash; counts are kept at every level
 * of that hierarchy (agent+feature+system, agent+feature, agent, everyone) so that a new
 * cohort borrows from its nearest parent (Beta-binomial smoothing, compile-priors.ts).
 * Knowing which workload a request belongs to beat every text feature in the measurement
 * of routing-forecast.md §1.3.
 */

export interface Cohort {
  agent?: string | undefined;
  feature?: string | undefined;
  /** `textHash` of the system prompt. */
  system?: string | undefined;
}

const SEP = '\u0001';

/** The keys of a cohort's levels, most specific first; the last is everyone (''). */
export function cohortLevels(c: Cohort): [string, string, string, string] {
  const a = c.agent ?? '';
  const f = c.feature ?? '';
  const s = c.system ?? '';
  return [`${a}${SEP}${f}${SEP}${s}`, `${a}${SEP}${f}${SEP}`, `${a}${SEP}${SEP}`, ''];
}

/** A cohort key as people read it: `agent=support feature=triage system=1a2b3c4d`. */
export function describeCohort(c: Cohort): string {
  const parts = [c.agent ? `agent=${c.agent}` : '', c.feature ? `feature=${c.feature}` : '', c.system ? `system=${c.system}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : '(everyone)';
}

/** Successes and trials of one tier in one cohort level. */
export interface TierCount {
  successes: number;
  trials: number;
}

export class CohortPriors {
  /** level key → tier name → counts. */
  readonly counts = new Map<string, Map<string, TierCount>>();

  /** Records one outcome of `tier` in `cohort`: success in [0, 1] (1 = good enough). */
  add(cohort: Cohort, tier: string, success: number, weight = 1): void {
    const keys = cohortLevels(cohort);
    // Without agent and feature the level keys repeat; count each distinct level once.
    let previous: string | undefined;
    for (const key of keys) {
      if (key === previous) continue;
      previous = key;
      let byTier = this.counts.get(key);
      if (!byTier) this.counts.set(key, (byTier = new Map()));
      const c = byTier.get(tier);
      if (c) {
        c.successes += success * weight;
        c.trials += weight;
      } else byTier.set(tier, { successes: success * weight, trials: weight });
    }
  }

  /** Outcomes recorded in total (the everyone level). */
  get total(): number {
    let n = 0;
    for (const c of this.counts.get('')?.values() ?? []) n += c.trials;
    return n;
  }
}
