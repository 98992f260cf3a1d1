/** Tokens per request creeping up in an entity (unit-scan.ts); excess $ is the share of spend the extra tokens cost. */
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
      for (const f of scanUnitMetric(tpr, { thresholds: settings.thresholds })) {
        let excess = 0;
        for (let t = f.onset; t < n; t++) if (tpr[t]! > f.baseline) excess += e.cost[t]! * (1 - f.baseline / tpr[t]!);
        if (excess < settings.minImpactUsd) continue;
        out.push({
          kind: 'creep',
          dims: e.dims,
          since: e.days[f.onset]!,
          until: e.days[n - 1]!,
          metric: 'tokens_per_request',
          observed: Math.round(f.observed),
          expected: Math.round(f.baseline),
          excess_usd: Math.round(excess * 100) / 100,
          evidence: `tokens per request ${Math.round(f.baseline).toLocaleString('en-US')} → ${Math.round(f.observed).toLocaleString('en-US')} (+${((f.observed / f.baseline - 1) * 100).toFixed(0)}%) since ${e.days[f.onset]}, detected ${e.days[f.index]}`,
          score: Math.round(f.score * 100) / 100,
        });
      }
    }
    return out;
  },
};
