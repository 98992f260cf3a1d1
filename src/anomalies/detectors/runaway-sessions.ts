/** Traces (sessions, agent runs) that cost more than `anomalies.runaway_session_usd`. */
import { formatUsd } from '../../shared/money.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { medianOf } from '../robust-stats.js';

export const runawaySessions: AnomalyDetector = {
  id: 'runaway-sessions',
  detect(input, settings) {
    const typical = medianOf(input.traces.map((t) => t.calls.reduce((s, c) => s + c.cost_usd, 0)));
    const out: Anomaly[] = [];
    for (const t of input.traces) {
      const cost = t.calls.reduce((s, c) => s + c.cost_usd, 0);
      if (cost <= settings.runawaySessionUsd) continue;
      const expected = Number.isFinite(typical) ? typical : 0;
      // Raised by the call that took the trace past the limit.
      let sum = 0;
      const crossing = t.calls.find((c) => (sum += c.cost_usd) > settings.runawaySessionUsd) ?? t.calls.at(-1)!;
      out.push({
        kind: 'runaway_session',
        dims: { ...t.dims, trace: t.trace },
        since: t.calls[0]!.ts,
        until: t.calls.at(-1)!.ts,
        detected: crossing.ts,
        metric: 'trace_cost',
        observed: round(cost),
        expected: round(expected),
        excess_usd: round(cost - expected),
        evidence: `trace ${t.trace}: ${t.calls.length} calls cost ${formatUsd(cost)} (limit ${formatUsd(settings.runawaySessionUsd)}, typical trace ${formatUsd(expected)})`,
        score: round(cost / settings.runawaySessionUsd),
      });
    }
    return out;
  },
};

const round = (x: number) => Math.round(x * 100) / 100;
