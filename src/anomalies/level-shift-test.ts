/**
 * The level-shift test of the spend scan: the last `SHIFT_DAYS` periods, taken together,
 * against their baselines. A shift must be reported within three days of its onset, so
 * the test reads exactly the onset day and the three after it; a CUSUM with a small
 * reference value needs a week to cross its interval on a ×1.5 shift in noisy spend, and
 * a lower interval lets slow drift through instead.
 * - score: the sum of the days' robust z-scores, each clipped to `Z_CLIP`, over
 *   √SHIFT_DAYS (a standard normal on a quiet series). The clip keeps one benign burst
 *   from carrying the window on its own; four moderately high days are a shift.
 * - materiality: the median of the days' ratios to baseline, so one burst day does not
 *   count either, and a quiet series with a tiny spread is not paged for +20%.
 */
import { medianOf } from './robust-stats.js';

export const SHIFT_DAYS = 4;
const Z_CLIP = 2;

export interface ShiftWindow {
  values: ArrayLike<number>;
  baseline: ArrayLike<number>;
  /** Robust z-score of each period's log residual (NaN where not scored). */
  z: ArrayLike<number>;
}

export interface LevelShift {
  /** First period of the window (the estimated onset). */
  onset: number;
  score: number;
  /** Median ratio of the window's periods to their baselines. */
  ratio: number;
  /** Excess over baseline summed over the window. */
  excess: number;
}

/** The window ending at `t` (inclusive) read as a level shift, or undefined if any period is unscored. */
export function levelShiftAt(w: ShiftWindow, t: number): LevelShift | undefined {
  const onset = t - SHIFT_DAYS + 1;
  if (onset < 0) return undefined;
  let sum = 0;
  let excess = 0;
  const ratios: number[] = [];
  for (let i = onset; i <= t; i++) {
    const z = w.z[i]!;
    const b = w.baseline[i]!;
    if (!Number.isFinite(z) || !(b > 0)) return undefined;
    sum += Math.max(-Z_CLIP, Math.min(Z_CLIP, z));
    ratios.push(w.values[i]! / b);
    excess += w.values[i]! - b;
  }
  return { onset, score: sum / Math.sqrt(SHIFT_DAYS), ratio: medianOf(ratios), excess };
}
