/**
 * Weekday factors pooled with the weekdays they resemble. Each factor is a mean of a few
 * same weekdays (five to sixteen), so on noisy spend it is off by a third of the daily noise
 * or more, and every day scored against it inherits that error. Most series have groups of
 * alike weekdays (working days, the weekend): each factor becomes the count-weighted mean of
 * all of them, weighted by a Gaussian kernel of their difference in standard errors, so
 * weekdays that agree within the noise share their days and clearly different ones (a
 * weekend at half the weekday spend) keep their own.
 */

/** Kernel width in standard errors of the difference (tuned on the synthetic dev seeds: 1.25). */
const WIDTH = 1.25;
/**
 * Fewest same weekdays each factor needs before any pooling: with one to three, a weekend at
 * 40% of the weekdays is only about two standard errors from them and would be pulled
 * halfway to them, which reads the first weekdays after it as level shifts.
 */
const MIN_COUNT = 4;

/** `phase[k]`: weekday k's mean log spend from `count[k]` days; `sigma`: the daily log noise. */
export function poolProfile(phase: number[], count: number[], sigma: number): number[] {
  if (!(sigma > 0) || Math.min(...count) < MIN_COUNT) return phase;
  const out: number[] = [];
  for (let k = 0; k < phase.length; k++) {
    let num = 0;
    let den = 0;
    for (let j = 0; j < phase.length; j++) {
      const d = phase[j]! - phase[k]!;
      const se2 = sigma * sigma * (1 / count[k]! + 1 / count[j]!);
      const w = count[j]! * Math.exp(-(d * d) / (2 * WIDTH * WIDTH * se2));
      num += w * phase[j]!;
      den += w;
    }
    out.push(num / den);
  }
  return out;
}
