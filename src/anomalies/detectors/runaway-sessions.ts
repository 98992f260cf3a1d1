/** Traces (sessions, agent runs) that cost more than `anomalies.runaway_session_usd`. */
import { formatUsd, roundUsd } from '../../shared/money.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { medianOf } from '../robust-stats.js';

export const runawaySessions: AnomalyDetector = {
  id: 'runaway-sessions',
  detect(input, settings) {
    const costs = input.traces.map((t) => t.calls.reduce((s, c) => s + c.cost_usd, 0));
    // The typical trace is one of those within the limit: with the runaways in the median, a
    // scope where half the traces run away (an agent whose runs are all long, a --where naming
    // one) would judge them against each other, at $0 or less over. With none within it, what
    // went past the limit is the excess the user's own threshold vouches for.
    const typical = medianOf(costs.filter((c) => c <= settings.runawaySessionUsd));
    const compared = Number.isFinite(typical);
    const expected = compared ? typical : settings.runawaySessionUsd;
    const out: Anomaly[] = [];
    for (const [i, t] of input.traces.entries()) {
      const cost = costs[i]!;
      if (cost <= settings.runawaySessionUsd) continue;
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
        observed: roundUsd(cost),
        expected: roundUsd(expected),
        excess_usd: roundUsd(cost - expected),
        evidence: `trace ${t.trace}: ${t.calls.length} calls cost ${formatUsd(cost)} (limit ${formatUsd(settings.runawaySessionUsd)}${compared ? `, typical trace ${formatUsd(expected)}` : '; no trace stayed within it to compare, so this counts what went past it'})`,
        score: round(cost / settings.runawaySessionUsd),
      });
    }
    return out;
  },
};

/** A score to two decimals (not money: money rounds by roundUsd, as formatUsd shows it). */
const round = (x: number) => Math.round(x * 100) / 100;
