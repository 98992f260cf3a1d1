/**
 * The thresholds behind `anomalies.sensitivity` (low, medium, high). Medium is the
 * default chosen on the synthetic benchmark (scripts/eval-anomalies.mjs) at about 0.14 (shiftZ
 * 1.75, shiftRatio 1.32: 0.138 on the dev seeds, under the 0.15 target) false incidents per
 * entity-month; the ratios are materiality gates, separate from the
 * statistical scores (routing-forecast.md §3.2–3.3).
 */
export type Sensitivity = 'low' | 'medium' | 'high';

export interface Thresholds {
  /** Robust z-score (log residual over the spend scan's reweighted scale) a spike must pass. */
  spikeZ: number;
  /** A spike is at least this many times the baseline. */
  spikeRatio: number;
  /** Unit-metric creep: CUSUM reference value k (in robust standard deviations). */
  cusumK: number;
  /**
   * Level shift: the last four days' clipped robust z-scores, summed over their spread (√4
   * widened for the baseline's error they share, level-shift-test.ts), must reach this…
   */
  shiftZ: number;
  /** …and the geometric mean ratio to baseline of its three lowest days this. */
  shiftRatio: number;
  /** Unit-metric creep: CUSUM interval and the 3-day median ratio to the reference. */
  creepH: number;
  creepRatio: number;
  /** Week-over-week cost per customer: ratio of the last week to the median of the four before. */
  weeklyRatio: number;
}

export const THRESHOLDS: Record<Sensitivity, Thresholds> = {
  low: { spikeZ: 4, spikeRatio: 3, cusumK: 0.5, shiftZ: 2.35, shiftRatio: 1.5, creepH: 8, creepRatio: 1.15, weeklyRatio: 1.5 },
  medium: { spikeZ: 3, spikeRatio: 2.8, cusumK: 0.5, shiftZ: 1.75, shiftRatio: 1.32, creepH: 6, creepRatio: 1.1, weeklyRatio: 1.3 },
  high: { spikeZ: 2.5, spikeRatio: 2.2, cusumK: 0.5, shiftZ: 1.55, shiftRatio: 1.18, creepH: 4, creepRatio: 1.08, weeklyRatio: 1.2 },
};
