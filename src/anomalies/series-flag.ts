/** What a series scan reports for one day: the kind, what was seen and what was expected. */
export type SeriesFlagKind = 'spike' | 'level_shift' | 'creep';

export interface SeriesFlag {
  /** Position in the series (0 = first day). */
  index: number;
  kind: SeriesFlagKind;
  observed: number;
  /** What the robust baseline expected that day. */
  baseline: number;
  /** Robust z-score (spike), four-day shift score (shift) or CUSUM statistic (creep). */
  score: number;
  /** Shifts and creep: the first day of the change as estimated (index). */
  onset: number;
}
