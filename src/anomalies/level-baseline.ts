/**
 * The spend scan's baseline for day t: level × weekday factor, both carried forward to t by
 * the growth `g` (log per period).
 * - weekday factors: a trimmed mean per weekday over up to 16 weeks, pooled with the
 *   weekdays they resemble (pooled-profile.ts);
 * - level: a Huber mean of the last four weeks' deseasonalised days, ending three days back
 *   so that a shift's first days do not lift their own baseline. A level shift is judged on
 *   four days against the same level, so the level's error counts four times over in its
 *   score: the median it replaces was ~25% noisier, and moved a burst's full weight less
 *   gracefully than its bounded pull.
 * Undefined until every weekday has history.
 */
import { poolProfile } from './pooled-profile.js';
import { huberMean, medianOf } from './robust-stats.js';

/** Seasons (weeks) the weekday profile is read from, and the share trimmed off each end. */
export const PROFILE_SEASONS = 16;
const PROFILE_TRIM = 0.25;
/** The level is read from `LEVEL_SEASONS` seasons of deseasonalised days ending `LEVEL_LAG` days back. */
const LEVEL_SEASONS = 4;
const LEVEL_LAG = 3;

/** The baseline's parts at day t: the deseasonalised log level carried to t, and the log weekday factors. */
export interface LevelFit {
  level: number;
  phase: number[];
}

/**
 * `adjusted`: the series (re-based after confirmed shifts); `s`: the season; `sigma`: the
 * scan's current robust scale of log residuals, for the pooling and the Huber weights
 * (NaN before it has one: no pooling, and the median for the level).
 */
export function levelBaseline(adjusted: ArrayLike<number>, t: number, s: number, g: number, sigma: number): number | undefined {
  const fit = levelFit(adjusted, t, s, g, sigma);
  return fit && fitBaselineAt(fit, t, t, g, s);
}

/** The baseline a fit made at day t gives day i (i <= t): its level carried back by the growth g, times i's weekday factor. */
export function fitBaselineAt(fit: LevelFit, i: number, t: number, g: number, s: number): number {
  return Math.exp(fit.level - g * (t - i) + fit.phase[i % s]!);
}

/** The level and weekday factors behind `levelBaseline` (same arguments). */
export function levelFit(adjusted: ArrayLike<number>, t: number, s: number, g: number, sigma: number): LevelFit | undefined {
  const from = Math.max(0, t - PROFILE_SEASONS * s);
  const end = t - LEVEL_LAG;
  if (end <= from) return undefined;
  const byPhase: number[][] = Array.from({ length: s }, () => []);
  for (let i = from; i < end; i++) {
    const v = adjusted[i]!;
    if (v > 0) byPhase[i % s]!.push(Math.log(v) + g * (t - i));
  }
  const raw: number[] = [];
  const count: number[] = [];
  for (const p of byPhase) {
    if (p.length === 0) return undefined;
    p.sort((a, b) => a - b);
    const k = Math.floor(p.length * PROFILE_TRIM);
    let sum = 0;
    for (let j = k; j < p.length - k; j++) sum += p[j]!;
    raw.push(sum / (p.length - 2 * k));
    count.push(p.length);
  }
  const phase = poolProfile(raw, count, sigma);
  const deseasonalised: number[] = [];
  for (let i = Math.max(from, end - LEVEL_SEASONS * s); i < end; i++) {
    const v = adjusted[i]!;
    if (v > 0) deseasonalised.push(Math.log(v) + g * (t - i) - phase[i % s]!);
  }
  if (deseasonalised.length === 0) return undefined;
  return { level: sigma > 0 ? huberMean(deseasonalised, sigma) : medianOf(deseasonalised), phase };
}
