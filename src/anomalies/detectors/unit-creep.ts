/** Tokens per request creeping up in an entity (unit-scan.ts); excess $ is the share of spend the extra tokens cost. */
import { dec, roundUsd, ticksToUsd } from '../../shared/money.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { scanUnitMetric } from '../unit-scan.js';

export const unitCreep: AnomalyDetector = {
  id: 'unit-creep',
  detect(input, settings) {
    const out: Anomaly[] = [];
    for (const e of input.entities) {
      const n = e.days.length;
      const tpr = new Float64Array(n);
      for (let t = 0; t < n; t++) tpr[t] = e.requests[t]! > 0 ? e.tokens[t]! / e.requests[t]! : 0;
      const flags = scanUnitMetric(tpr, { thresholds: settings.thresholds });
      for (const [k, f] of flags.entries()) {
        // A creep's excess is the tokens above its baseline; once a later creep on the same
        // series begins, the tokens above that one's baseline are its excess, not this one's
        // too, so two creeps never count the same tokens twice.
        const next = flags[k + 1];
        // Each day's share of its exact spend (ticks), added up as decimals and rounded once.
        let excess = dec(0);
        const daily: Record<string, number> = {};
        for (let t = f.onset; t < n; t++) {
          const x = tpr[t]!;
          const top = next && t >= next.onset ? Math.min(x, next.baseline) : x;
          if (top <= f.baseline) continue;
          const over = ticksToUsd(e.costTicks[t]!).times(top - f.baseline).div(x);
          excess = excess.plus(over);
          daily[e.days[t]!] = over.toNumber();
        }
        if (excess.lessThan(settings.minImpactUsd)) continue;
        out.push({
          kind: 'creep',
          dims: e.dims,
          since: e.days[f.onset]!,
          until: e.days[n - 1]!,
          detected: e.days[f.index]!,
          metric: 'tokens_per_request',
          observed: Math.round(f.observed),
          expected: Math.round(f.baseline),
          excess_usd: roundUsd(excess),
          evidence: `tokens per request ${Math.round(f.baseline).toLocaleString('en-US')} → ${Math.round(f.observed).toLocaleString('en-US')} (+${((f.observed / f.baseline - 1) * 100).toFixed(0)}%) since ${e.days[f.onset]}, detected ${e.days[f.index]}`,
          score: Math.round(f.score * 100) / 100,
          daily,
        });
      }
    }
    return out;
  },
};
