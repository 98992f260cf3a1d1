/**
 * Cohort priors turned into what `decide` reads in O(1): per level key, the smoothed
 * success rate of every tier of the current policy and the outcomes behind it. Each level
 * is smoothed towards its parent (strength = pseudo-outcomes), the top level towards the
 * tiers' configured base success, and rates are made monotonic across tiers (a larger
 * tier is never predicted worse than a smaller one).
 */
import type { CohortPriors} from './cohort-priors.js';
import { cohortLevels, type Cohort } from './cohort-priors.js';

export interface CohortRates {
  /** Smoothed success per tier index. */
  readonly rates: Float64Array;
  /** Outcomes observed at this level, all tiers together. */
  readonly trials: number;
}

export class CompiledPriors {
  private readonly byKey = new Map<string, CohortRates>();
  private readonly everyone: CohortRates;

  constructor(tierNames: readonly string[], base: Float64Array, priors: CohortPriors | undefined, strength: number) {
    const n = tierNames.length;
    const smooth = (counts: Map<string, { successes: number; trials: number }> | undefined, parent: Float64Array): CohortRates => {
      const rates = new Float64Array(n);
      let trials = 0;
      for (let t = 0; t < n; t++) {
        const c = counts?.get(tierNames[t]!);
        const s = c?.successes ?? 0;
        const k = c?.trials ?? 0;
        trials += k;
        rates[t] = (s + strength * parent[t]!) / (k + strength);
      }
      for (let t = 1; t < n; t++) if (rates[t]! < rates[t - 1]!) rates[t] = rates[t - 1]!;
      return { rates, trials };
    };
    this.everyone = smooth(priors?.counts.get(''), base);
    if (!priors) return;
    // Parents before children: keys sorted by how many parts they name.
    const depth = (key: string) => (key === '' ? 0 : key.endsWith('\u0001\u0001') ? 1 : key.endsWith('\u0001') ? 2 : 3);
    const keys = [...priors.counts.keys()].filter((k) => k !== '').sort((a, b) => depth(a) - depth(b));
    for (const key of keys) {
      const parts = key.split('\u0001');
      const parent = this.lookupKeys(cohortLevels({ agent: parts[0] || undefined, feature: parts[1] || undefined, system: parts[2] || undefined }).slice(1));
      this.byKey.set(key, smooth(priors.counts.get(key), parent.rates));
    }
  }

  private lookupKeys(keys: readonly string[]): CohortRates {
    for (const key of keys) {
      const hit = key === '' ? this.everyone : this.byKey.get(key);
      if (hit) return hit;
    }
    return this.everyone;
  }

  /** The most specific level of `cohort` that has outcomes, else everyone's. */
  lookup(cohort: Cohort): CohortRates {
    if (this.byKey.size === 0) return this.everyone;
    return this.lookupKeys(cohortLevels(cohort));
  }
}
