/** Spikes and level shifts in each entity's daily spend (spend-scan.ts), with their excess $. */
import { dec, formatUsd, roundUsd, ticksToUsd } from '../../shared/money.js';
import { countNoun } from '../../shared/count-noun.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly, EntitySeries } from '../anomaly.js';
import { scanSpend } from '../spend-scan.js';
import type { SeriesFlag } from '../series-flag.js';
import { medianOf } from '../robust-stats.js';

/** Days a step must have lasted to be a level shift (the shift test confirms one on its fourth). */
const HELD_DAYS = 4;

export const spendChange: AnomalyDetector = {
  id: 'spend-change',
  detect(input, settings) {
    const out: Anomaly[] = [];
    for (const e of input.entities) {
      const flags = scanSpend(e.cost, { thresholds: settings.thresholds, minImpact: 0 });
      let i = 0;
      while (i < flags.length) {
        // Consecutive flagged days are one incident.
        let j = i;
        while (j + 1 < flags.length && flags[j + 1]!.index <= flags[j]!.index + 2) j++;
        const group = flags.slice(i, j + 1);
        i = j + 1;
        const a = incidentOf(e, group, settings.thresholds.shiftRatio);
        if (a.excess_usd >= settings.minImpactUsd) out.push(a);
      }
    }
    return out;
  },
};

/**
 * The alert for one group of flagged days. A group the shift test began is a level shift,
 * as it always was. One that spikes began is a spike over its spike days, unless the
 * spend held: still up on the series' last day, HELD_DAYS or more after it began, its
 * median since then at least `shiftRatio` × its baseline. A step up is flagged as spikes
 * until the shift test confirms it days later, and a lasting step is a level shift (its
 * monthly cost goes on), not a spike of its first days.
 */
function incidentOf(e: EntitySeries, group: readonly SeriesFlag[], shiftRatio: number): Anomaly {
  const n = e.days.length;
  const first = group[0]!;
  // Raised on the day of its first flag, whatever it turned out to be.
  const detected = e.days[first.index]!;
  if (first.kind === 'level_shift') return incident(e, 'level_shift', first, n - 1, 0, detected);
  const spikes = group.filter((f) => f.kind === 'spike');
  const shift = group.find((f) => f.kind === 'level_shift');
  const start = shift !== undefined && shift.onset < first.onset ? shift : first;
  const held = n - start.onset >= HELD_DAYS && medianOf(e.cost.subarray(start.onset)) >= shiftRatio * start.baseline;
  if (held) return incident(e, 'level_shift', start, n - 1, group.length, detected);
  return incident(e, 'spike', first, spikes.at(-1)!.index, spikes.length, detected);
}

/** The alert for `f`'s incident, from its onset to `end` (inclusive) against `f`'s baseline. */
function incident(e: EntitySeries, kind: 'spike' | 'level_shift', f: SeriesFlag, end: number, flaggedDays: number, detected: string): Anomaly {
  // Each day's spend exact (ticks) less the baseline, added up as decimals and rounded once.
  const baseline = dec(f.baseline);
  let excess = dec(0);
  const daily: Record<string, number> = {};
  for (let t = f.onset; t <= end; t++) {
    const over = ticksToUsd(e.costTicks[t]!).minus(baseline);
    if (!over.greaterThan(0)) continue;
    excess = excess.plus(over);
    daily[e.days[t]!] = over.toNumber();
  }
  const observed = ticksToUsd(e.costTicks[f.index]!);
  const ratio = f.observed / f.baseline;
  const day = e.days[f.index]!;
  const from = e.days[f.onset]!;
  let evidence: string;
  if (kind === 'spike') {
    evidence =
      `${day} spent ${formatUsd(observed)} against a weekday baseline of ${formatUsd(f.baseline)} (×${ratio.toFixed(1)}, robust z ${f.score.toFixed(1)})` +
      // Flagged days in a row are one incident: its excess is theirs together, so say which days.
      (end > f.onset ? `; ${end - f.onset + 1} days from ${from} to ${e.days[end]}, ${formatUsd(excess)} over that baseline in all` : '');
  } else if (f.kind === 'level_shift') {
    evidence = `spend held above its baseline from ${from} (×${ratio.toFixed(2)} on ${day}, four-day shift score ${f.score.toFixed(1)})`;
  } else {
    evidence = `spend held above its baseline from ${from} (×${ratio.toFixed(2)} on ${day}, robust z ${f.score.toFixed(1)}; flagged ${countNoun(flaggedDays, 'day')} to ${e.days[end]}, ${formatUsd(excess)} over that baseline so far)`;
  }
  return {
    kind,
    dims: e.dims,
    since: from,
    until: e.days[end]!,
    detected,
    metric: 'spend',
    observed: roundUsd(observed),
    expected: roundUsd(baseline),
    excess_usd: roundUsd(excess),
    evidence,
    score: round(f.score),
    daily,
  };
}

/** A score to two decimals (not money: money rounds by roundUsd, as formatUsd shows it). */
const round = (x: number) => Math.round(x * 100) / 100;
