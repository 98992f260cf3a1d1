/**
 * Creep on a unit metric (tokens per request, cost per request): a slow rise that
 * totals hide inside growth. The reference is the median of a lagged window (two to six
 * weeks back), so a rise of a few percent a day keeps its distance from it; a one-sided
 * CUSUM of robust z-scores must pass its interval and the last three days' median must
 * be `creepRatio` above the reference.
 */
import type { ScanOptions } from './spend-scan.js';
import type { SeriesFlag } from './series-flag.js';
import { medianOf, robustSigma } from './robust-stats.js';

const LAG = 14;
const REFERENCE = 28;
const MIN_SIGMA = 0.02;

export function scanUnitMetric(values: ArrayLike<number>, options: ScanOptions): SeriesFlag[] {
  const th = options.thresholds;
  const n = values.length;
  const warmup = Math.max(options.warmup ?? LAG + 14, LAG + 14);
  const flags: SeriesFlag[] = [];
  let cusum = 0;
  let start = -1;
  let quietUntil = -1;
  let rebase = 0;
  for (let t = warmup; t < n; t++) {
    const refFrom = Math.max(rebase, t - LAG - REFERENCE);
    const refTo = t - LAG;
    if (refTo - refFrom < 14) continue;
    const logs: number[] = [];
    for (let i = refFrom; i < refTo; i++) if (values[i]! > 0) logs.push(Math.log(values[i]!));
    if (logs.length < 10) continue;
    const ref = medianOf([...logs]);
    const sigma = Math.max(MIN_SIGMA, robustSigma(logs) || MIN_SIGMA);
    const x = values[t]!;
    const z = x > 0 ? (Math.log(x) - ref) / sigma : 0;
    const before = cusum;
    cusum = Math.max(0, cusum + Math.min(z, 4) - th.cusumK);
    if (before === 0 && cusum > 0) start = t;
    if (cusum === 0) start = -1;
    if (t <= quietUntil) continue;
    if (cusum > th.creepH) {
      const med = medianOf([t - 2, t - 1, t].map((i) => values[i]!));
      const reference = Math.exp(ref);
      if (med >= th.creepRatio * reference) {
        flags.push({ index: t, kind: 'creep', observed: x, baseline: reference, score: cusum, onset: start >= 0 ? start : t });
        // Re-base on the new level once it is reported: the metric is not re-reported daily.
        rebase = t - 2;
        quietUntil = t + LAG;
        cusum = 0;
        start = -1;
      }
    }
  }
  return flags;
}
