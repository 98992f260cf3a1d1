/** Spikes and level shifts in each entity's daily spend (spend-scan.ts), with their excess $. */
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { scanSpend } from '../spend-scan.js';

export const spendChange: AnomalyDetector = {
  id: 'spend-change',
  detect(input, settings) {
    const out: Anomaly[] = [];
    for (const e of input.entities) {
      const n = e.days.length;
      const flags = scanSpend(e.cost, { thresholds: settings.thresholds, minImpact: 0 });
      let i = 0;
      while (i < flags.length) {
        const f = flags[i]!;
        // Consecutive flagged days are one incident.
        let j = i;
        while (j + 1 < flags.length && flags[j + 1]!.index <= flags[j]!.index + 2) j++;
        const last = flags[j]!;
        const end = f.kind === 'level_shift' ? n - 1 : last.index;
        let excess = 0;
        const daily: Record<string, number> = {};
        for (let t = f.onset; t <= end; t++) {
          const over = Math.max(0, e.cost[t]! - f.baseline);
          excess += over;
          if (over > 0) daily[e.days[t]!] = over;
        }
        if (excess >= settings.minImpactUsd) {
          out.push({
            kind: f.kind === 'level_shift' ? 'level_shift' : 'spike',
            dims: e.dims,
            since: e.days[f.onset]!,
            until: e.days[end]!,
            metric: 'spend',
            observed: round(f.observed),
            expected: round(f.baseline),
            excess_usd: round(excess),
            evidence:
              f.kind === 'spike'
                ? `${e.days[f.index]} spent $${f.observed.toFixed(2)} against a weekday baseline of $${f.baseline.toFixed(2)} (×${(f.observed / f.baseline).toFixed(1)}, robust z ${f.score.toFixed(1)})` +
                  // Flagged days in a row are one incident: its excess is theirs together, so say which days.
                  (end > f.onset ? `; ${end - f.onset + 1} days from ${e.days[f.onset]} to ${e.days[end]}, $${excess.toFixed(2)} over that baseline in all` : '')
                : `spend held above its baseline from ${e.days[f.onset]} (×${(f.observed / f.baseline).toFixed(2)} on ${e.days[f.index]}, four-day shift score ${f.score.toFixed(1)})`,
            score: round(f.score),
            daily,
          });
        }
        i = j + 1;
      }
    }
    return out;
  },
};

const round = (x: number) => Math.round(x * 100) / 100;
